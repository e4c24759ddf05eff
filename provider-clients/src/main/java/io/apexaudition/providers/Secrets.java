package io.apexaudition.providers;

import java.util.List;
import java.util.Objects;

/**
 * Keeps keys out of messages. Providers may echo part of a key in an error ("Incorrect API key provided:
 * sk-abc...xyz"), so any text taken from a provider passes through here before it is logged or put in an event.
 */
public final class Secrets {
    private Secrets() {
    }

    public static String redact(String text, List<String> keys) {
        if (text == null) {
            return null;
        }
        String out = text;
        List<String> usable = keys.stream().filter(Objects::nonNull).filter(k -> k.length() >= 8).toList();
        // every whole key first: removing one key's fragments first could cut another key that starts the same way,
        // which would then never be found whole
        for (String key : usable) {
            out = out.replace(key, "[redacted]");
        }
        for (String key : usable) {
            // masked echoes keep a few leading and trailing characters: remove those fragments too
            out = out.replace(key.substring(0, 6), "[redacted]").replace(key.substring(key.length() - 4), "[redacted]");
        }
        return out.replaceAll("(sk-[A-Za-z0-9_*\\-]{3,})", "[redacted]");
    }
}
