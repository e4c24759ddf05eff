package io.apexaudition.simulator.domain;

/** The simulator's tokenizer: about four characters per token, rounded up, as the providers' rule of thumb. */
public final class Tokens {
    public static final int CHARS_PER_TOKEN = 4;

    private Tokens() {
    }

    public static int ofChars(long chars) {
        return (int) ((chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }

    public static int of(String text) {
        return text == null ? 0 : ofChars(text.length());
    }
}
