package io.apexaudition.cli;

import io.apexaudition.core.RubricConfig;
import io.apexaudition.core.judging.JudgePrompts;
import io.apexaudition.events.JudgingRubric;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code apex estimate --judge} against figures worked out by hand: a completed run of three lanes on two prompts,
 * each output 40,000 characters, each prompt 40; gpt-4o (judge.4o) at $2.50 input and $10.00 output per million
 * tokens, 800 max tokens, batch at half price; 4 characters per token (config/models.yaml).
 */
class EstimateJudgeTest {
    private static final String PROMPT = "Write a poem of forty characters exactly";
    private static final int PIECE = 40_000;
    private static JudgingRubric rubric;

    @BeforeAll
    static void seedARun() {
        Seed seed = new Seed(CliHarness.database());
        seed.run("est-a", "completed", 6).prompt("e01", 1, PROMPT).prompt("e02", 1, PROMPT);
        for (String prompt : List.of("e01", "e02")) {
            for (String lane : List.of("x", "y", "z")) {
                seed.output("est-a", "e-" + lane + "-" + prompt, lane, prompt, 1, "a".repeat(PIECE), "0.01");
            }
        }
        rubric = RubricConfig.load(Path.of("../config/judging/rubric.yaml"));
    }

    @Test
    void shouldEstimateAPairwisePassFromTheScheduleTheTextsAndTheJudgesMaxTokens() {
        // when
        CliHarness.Result result = CliHarness.apex("estimate", "--judge", "est-a", "--judge-lane", "judge.4o",
                "--pairwise", "--batch-mode");

        // then: per prompt 3 pairs in both orders = 6 requests, 12 in all. A request's own text is
        //   "=== WRITING PROMPT ===\n" (23) + prompt (40) + "\n\n" (2) + "=== PIECE A ===\n" (16) + 40,000 + "\n\n" (2)
        //   + "=== PIECE B ===\n" (16) + 40,000 + "\n" (1) + "=== END ===\n" (12) = 80,112 characters
        //   -> 80,112 / 4 = 20,028 tokens, + 10 = 20,038; the pairwise instruction (below 1,024 tokens: not cached)
        //   is sent with each
        assertThat(PROMPT).hasSize(40);
        int ownText = 23 + 40 + 2 + 16 + PIECE + 2 + 16 + PIECE + 1 + 12;
        assertThat(JudgePrompts.pairwisePrompt(PROMPT, "a".repeat(PIECE), "a".repeat(PIECE))).hasSize(ownText);
        long context = (long) Math.ceil(JudgePrompts.pairwiseContext(rubric).length() / 4.0);
        assertThat(context).isLessThan(1024);
        long input = 12 * (20_038 + context);
        long worstOut = 12 * 800;
        long typicalOut = 12 * JudgePass.TYPICAL_PAIRWISE_ANSWER_TOKENS;
        double worstSync = input * 2.50 / 1e6 + worstOut * 10.00 / 1e6;
        double typicalSync = input * 2.50 / 1e6 + typicalOut * 10.00 / 1e6;

        assertThat(result.exit()).as(result.err()).isZero();
        String[] judge = line(result.out(), "judge.4o");
        assertThat(Arrays.asList(judge).subList(0, 6)).containsExactly("judge.4o", "gpt-4o", "12",
                Long.toString(input), Long.toString(worstOut), Long.toString(typicalOut));
        assertThat(money(judge[6])).isCloseTo(worstSync, within(0.005));
        assertThat(money(judge[7])).isCloseTo(worstSync / 2, within(0.005));
        assertThat(money(judge[8])).isCloseTo(typicalSync, within(0.005));
        assertThat(money(judge[9])).isCloseTo(typicalSync / 2, within(0.005));
        assertThat(result.out()).contains("12 judge request(s) per judge lane x 1 judge lane(s) = 12",
                String.format(java.util.Locale.ROOT, "As sent (--batch-mode): worst $%.2f, typical $%.2f", worstSync / 2,
                        typicalSync / 2));
    }

    @Test
    void shouldEstimateARubricPassAsOneRequestPerOutputForEveryJudgeLaneOfTheFile() {
        // when no judge lane is named: both of config/judging/judges.yaml
        CliHarness.Result result = CliHarness.apex("estimate", "--judge", "est-a", "--limit", "1");

        // then one prompt, three outputs: 3 requests per judge lane, each answer 800 tokens at worst, 150 typically;
        // the request: "=== WRITING PROMPT ===\n" (23) + 40 + "\n\n" (2) + "=== PIECE ===\n" (14) + 40,000 + "\n" (1)
        // + "=== END ===\n" (12) = 40,092 characters -> 10,023 tokens + 10
        long context = (long) Math.ceil(JudgePrompts.rubricContext(rubric).length() / 4.0);
        long input = 3 * (10_033 + context);
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(Arrays.asList(line(result.out(), "judge.4o")).subList(2, 6)).containsExactly("3",
                Long.toString(input), "2400", "450");
        assertThat(Arrays.asList(line(result.out(), "judge.sonnet")).subList(1, 3))
                .containsExactly("claude-sonnet-4.5", "3");
        assertThat(Arrays.asList(line(result.out(), "TOTAL")).subList(1, 4)).containsExactly("6", "4800", "900");
    }

    @Test
    void shouldRefuseToMixAJudgingEstimateWithLanes() {
        CliHarness.Result result = CliHarness.apex("estimate", "--judge", "est-a", "--all-lanes");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("leave out --condition-slug and --all-lanes");
    }

    private static String[] line(String out, String first) {
        return out.lines().map(String::trim).filter(l -> l.startsWith(first + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + first + " in:\n" + out)).split("\\s+");
    }

    private static double money(String cell) {
        return Double.parseDouble(cell.replace(',', '.'));
    }
}
