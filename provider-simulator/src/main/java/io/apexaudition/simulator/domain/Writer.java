package io.apexaudition.simulator.domain;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Consumes what a request asks (its shared context and its prompt), the model it names and its seeded random; produces
 * the visible text of the answer, for both providers and every path (synchronous, streamed, batch): a judge's verdict
 * for a judge request ({@link JudgeRequest}), prose otherwise, remembered as written by the model so that a judge can
 * later tell who wrote it ({@link Authorship}). Cut at a word boundary when the output budget left is smaller.
 */
@ApplicationScoped
public class Writer {
    private final RuntimeSettings settings;
    private final Judge judge;
    private final Authorship authorship;

    public Writer(RuntimeSettings settings, Judge judge, Authorship authorship) {
        this.settings = settings;
        this.judge = judge;
        this.authorship = authorship;
    }

    /** The visible text, its tokens and whether it was cut to fit {@code availableTokens}. */
    public record Visible(String text, int tokens, boolean cut) {
    }

    /**
     * @param model           the catalog id of the model answering (no date), what the text is remembered under
     * @param context         the shared context (system text), empty when there is none
     * @param prompt          the last user message's text
     * @param availableTokens the output budget left for visible text
     */
    public Visible write(String model, String context, String prompt, SplittableRandom random, int availableTokens) {
        Optional<JudgeRequest> judging = JudgeRequest.read(context, prompt);
        String text = judging.isPresent() ? judge.answer(judging.get(), random)
                : TextGenerator.compose(random, targetChars(random));
        int tokens = Tokens.of(text);
        boolean cut = tokens > availableTokens;
        if (cut) {
            text = TextGenerator.truncate(text, availableTokens * Tokens.CHARS_PER_TOKEN);
            tokens = availableTokens;
        }
        if (judging.isEmpty()) {
            authorship.remember(text, model);
        }
        return new Visible(text, tokens, cut);
    }

    private int targetChars(SplittableRandom random) {
        int configured = settings.current().outputSizeChars();
        int natural = (300 + random.nextInt(1201)) * Tokens.CHARS_PER_TOKEN;
        return configured > 0 ? configured : natural;
    }
}
