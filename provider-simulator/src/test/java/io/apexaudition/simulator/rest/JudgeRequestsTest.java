package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.JudgeTexts;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.apexaudition.simulator.rest.Sim.JSON;
import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.events;
import static io.apexaudition.simulator.rest.Sim.obj;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator judges: a judge request (the judging pass's format, v1) is answered in the format it asks for, from
 * the hidden quality of the model that wrote each piece, plus noise and a position bias, the same every time.
 */
@QuarkusTest
class JudgeRequestsTest {
    /** The default hidden qualities, best first (application.properties). */
    private static final List<String> PLANTED_ORDER =
            List.of("claude-opus-4-1", "gpt-5", "claude-sonnet-4-5", "o3", "gpt-4o");

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void shouldPlantAClearOrderByDefault() {
        // when the settings are read at start-up values
        JsonNode settings = Sim.settings();

        // then every model has a hidden quality, best first in the planted order, with noise, a bias and ties
        JsonNode quality = settings.path("judge-quality");
        assertThat(PLANTED_ORDER.stream().map(model -> quality.path(model).asDouble()).toList())
                .containsExactly(1.2, 0.9, 0.6, 0.3, 0.0);
        assertThat(settings.path("judge-noise").asDouble()).isEqualTo(0.5);
        assertThat(settings.path("judge-position-bias").asDouble()).isEqualTo(0.4);
        assertThat(settings.path("judge-tie-band").asDouble()).isEqualTo(0.25);
        assertThat(settings.at("/faults/judge-garbage").asDouble()).isZero();
        assertThat(settings.at("/faults/judge-garbage-next").asInt()).isZero();
    }

    @Test
    void shouldRecoverThePlantedOrderFromPairwiseJudgmentsOfPiecesItWrote() {
        // given well-separated qualities and a piece by each model for each of 16 writing prompts
        Sim.config("{\"judge-quality\":{\"claude-opus-4-1\":2.0,\"gpt-5\":1.0,\"claude-sonnet-4-5\":0.0,"
                + "\"o3\":-1.0,\"gpt-4o\":-2.0}}");
        Map<String, Double> points = new HashMap<>();

        // when every pair of each prompt is judged in both orders (tie: half a point each)
        for (int p = 0; p < 16; p++) {
            String writingPrompt = "Write a short piece about harbor number " + p + ".";
            Map<String, String> pieces = piecesByModel(writingPrompt);
            for (String first : PLANTED_ORDER) {
                for (String second : PLANTED_ORDER) {
                    if (!first.equals(second)) {
                        String winner = pairwise(writingPrompt, pieces.get(first), pieces.get(second))
                                .path("winner").asText();
                        points.merge(first, winner.equals("A") ? 1.0 : winner.equals("tie") ? 0.5 : 0.0, Double::sum);
                        points.merge(second, winner.equals("B") ? 1.0 : winner.equals("tie") ? 0.5 : 0.0, Double::sum);
                    }
                }
            }
        }

        // then the models rank in the planted order
        List<String> ranked = new ArrayList<>(points.keySet());
        ranked.sort((a, b) -> Double.compare(points.get(b), points.get(a)));
        assertThat(ranked).as("points %s", points).isEqualTo(PLANTED_ORDER);
    }

    @Test
    void shouldLetTheBetterModelWinMoreThanHalfUnderTheDefaultQualities() {
        // given the default qualities: claude-opus-4-1 1.2, gpt-4o 0.0
        double opusPoints = 0;
        int judgments = 0;

        // when 30 pairs of their pieces are judged in both orders
        for (int p = 0; p < 30; p++) {
            String writingPrompt = "Write a letter to a lighthouse keeper, number " + p + ".";
            String opus = write("claude-opus-4-1", writingPrompt);
            String gpt4o = write("gpt-4o", writingPrompt);
            String opusFirst = pairwise(writingPrompt, opus, gpt4o).path("winner").asText();
            String opusSecond = pairwise(writingPrompt, gpt4o, opus).path("winner").asText();
            opusPoints += (opusFirst.equals("A") ? 1 : opusFirst.equals("tie") ? 0.5 : 0)
                    + (opusSecond.equals("B") ? 1 : opusSecond.equals("tie") ? 0.5 : 0);
            judgments += 2;
        }

        // then Opus takes well over half the points (about 0.73 expected)
        assertThat(opusPoints / judgments).isGreaterThan(0.6);
    }

    @Test
    void shouldShowThePositionBiasInBothOrdersOfAPair() {
        // given 120 pairs of pieces of equal quality, judged in both orders with a bias and without one
        Sim.config("{\"judge-position-bias\":1.5}");
        Positions biased = positions(120);
        Sim.config("{\"judge-position-bias\":0.0}");
        Positions unbiased = positions(120);

        // then with the bias the piece shown first wins most decisive verdicts (0.84 expected), in each order alike,
        // and the two orders of a pair disagree more often (0.76 of pairs, against 0.60); without it the first piece
        // wins about half
        assertThat(biased.firstShare(0)).isGreaterThan(0.7);
        assertThat(biased.firstShare(1)).isGreaterThan(0.7);
        assertThat(unbiased.firstShare(0)).isBetween(0.38, 0.62);
        assertThat(unbiased.firstShare(1)).isBetween(0.38, 0.62);
        assertThat(biased.disagreements).isGreaterThan(unbiased.disagreements);
    }

    @Test
    void shouldAnswerTheSameJudgeRequestTheSameOnEveryPathAndEveryTime() throws IOException {
        // given a pairwise judge request over two written pieces, as an Anthropic and an OpenAI body
        String writingPrompt = "Write a poem about a winter orchard.";
        String prompt = JudgeTexts.pairwisePrompt(writingPrompt, write("gpt-5", writingPrompt),
                write("o3", writingPrompt));
        ObjectNode claude = claudeJudge(JudgeTexts.pairwiseContext(), prompt);
        ObjectNode gpt = gptJudge(JudgeTexts.pairwiseContext(), prompt);

        // when each is sent twice synchronously, streamed and in a batch
        String claudeSync = claudeText(claude);
        String claudeAgain = claudeText(claude);
        String claudeStreamed = claudeStreamed(claude);
        String claudeBatch = Sim.anthropicResults(Sim.anthropicBatch(Sim.anthropicRequest("judge-1", claude)))
                .get(0).at("/result/message/content/0/text").asText();
        String gptSync = gptText(gpt);
        String gptAgain = gptText(gpt);
        String gptStreamed = gptStreamed(gpt);
        String batchId = Sim.openAiBatch(Sim.openAiLine("judge-1", gpt));
        String gptBatch = Sim.fileLines(Sim.openAiBatchGet(batchId).path("output_file_id").asText()).get(0)
                .at("/response/body/choices/0/message/content").asText();

        // then every path gives that body's one answer, a pairwise verdict in the asked format
        assertThat(List.of(claudeAgain, claudeStreamed, claudeBatch)).containsOnly(claudeSync);
        assertThat(List.of(gptAgain, gptStreamed, gptBatch)).containsOnly(gptSync);
        for (String answer : List.of(claudeSync, gptSync)) {
            JsonNode verdict = JSON.readTree(answer);
            assertThat(verdict.path("winner").asText()).isIn("A", "B", "tie");
            assertThat(verdict.path("margin").asInt()).isBetween(verdict.path("winner").asText().equals("tie") ? 0 : 1,
                    verdict.path("winner").asText().equals("tie") ? 0 : 3);
            assertThat(verdict.path("rationale").asText()).isNotBlank();
        }
    }

    @Test
    void shouldScoreEveryCriterionOfARubricWithinItsScale() throws IOException {
        // given pieces by every model, and a rubric of its own scale
        Map<String, String> wit = JudgeTexts.criteria("pace", "Moves along", "wit", "Funny: now and then");
        Map<String, Double> means = new LinkedHashMap<>();

        for (int p = 0; p < 12; p++) {
            String writingPrompt = "Write a fable about a copper bell, number " + p + ".";
            for (Map.Entry<String, String> piece : piecesByModel(writingPrompt).entrySet()) {
                // when each is judged on the shipped rubric (1..10) and on a 0..4 one
                JsonNode shipped = JSON.readTree(claudeText(claudeJudge(JudgeTexts.rubricContext(),
                        JudgeTexts.rubricPrompt(writingPrompt, piece.getValue()))));
                JsonNode small = JSON.readTree(gptText(gptJudge(JudgeTexts.rubricContext(wit, 0, 4),
                        JudgeTexts.rubricPrompt(writingPrompt, piece.getValue()))));

                // then the answers are JSON with an integer in the scale for every criterion, and a rationale
                assertThat(names(shipped.path("scores"))).containsExactlyElementsOf(JudgeTexts.CRITERIA.keySet());
                shipped.path("scores").forEach(s -> assertThat(s.isInt() && s.asInt() >= 1 && s.asInt() <= 10)
                        .as("score %s", s).isTrue());
                assertThat(names(small.path("scores"))).containsExactly("pace", "wit");
                small.path("scores").forEach(s -> assertThat(s.isInt() && s.asInt() >= 0 && s.asInt() <= 4)
                        .as("score %s", s).isTrue());
                assertThat(shipped.path("rationale").asText()).isNotBlank();
                shipped.path("scores").forEach(s -> means.merge(piece.getKey(), s.asDouble() / 60, Double::sum));
            }
        }

        // and the best model scores above the worst on average (8.2 and 5.5 expected)
        assertThat(means.get("claude-opus-4-1")).as("mean scores %s", means).isGreaterThan(means.get("gpt-4o") + 1.5);
    }

    @Test
    void shouldGiveAPieceItNeverWroteTheNeutralQuality() throws IOException {
        // given no noise, and pieces written by Opus (1.2) and GPT-4o (0.0) and one the simulator never wrote
        Sim.config("{\"judge-noise\":0}");
        String writingPrompt = "Write a short story about a lighthouse.";
        String opus = write("claude-opus-4-1", writingPrompt);
        String gpt4o = write("gpt-4o", writingPrompt);
        String stranger = "The Keeper\n\nShe climbed the stairs every evening and lit the lamp for ships that "
                + "never came.";

        // when each is scored on the shipped rubric (1..10: the middle is 5.5, a quarter of the range 2.25)
        // then the stranger scores as a quality-0 writer does, the middle, and Opus above it
        assertThat(imageryScore(writingPrompt, stranger)).isEqualTo(6);
        assertThat(imageryScore(writingPrompt, gpt4o)).isEqualTo(6);
        assertThat(imageryScore(writingPrompt, opus)).isEqualTo(8);

        // and a piece it wrote before a reset is a stranger after it
        Sim.reset();
        Sim.config("{\"judge-noise\":0}");
        assertThat(imageryScore(writingPrompt, opus)).isEqualTo(6);
    }

    @Test
    void shouldAnswerTextNoJsonCanBeReadFromUnderTheGarbageFault() throws IOException {
        // given the next judge answer is to be garbage
        Sim.config("{\"faults\":{\"judge-garbage-next\":1}}");
        String prompt = JudgeTexts.pairwisePrompt("Rain.", "It rained all day.", "The rain stopped.");

        // when a judge request is sent, then the same again
        String garbage = claudeText(claudeJudge(JudgeTexts.pairwiseContext(), prompt));
        String answer = claudeText(claudeJudge(JudgeTexts.pairwiseContext(), prompt));

        // then the first answer holds no JSON object, the retry a verdict, and the count is used up
        assertThat(garbage).isNotBlank();
        assertThat(jsonObjectIn(garbage)).isFalse();
        assertThat(JSON.readTree(answer).path("winner").asText()).isIn("A", "B", "tie");
        assertThat(Sim.settings().at("/faults/judge-garbage-next").asInt()).isZero();

        // and at a garbage rate of 1 every judge answer of a batch is garbage, billed like any answer
        Sim.config("{\"faults\":{\"judge-garbage\":1.0}}");
        String batchId = Sim.openAiBatch(Sim.openAiLine("j-1", gptJudge(JudgeTexts.pairwiseContext(), prompt)),
                Sim.openAiLine("j-2", gptJudge(JudgeTexts.rubricContext(), JudgeTexts.rubricPrompt("Rain.", "Rain."))));
        List<JsonNode> lines = Sim.fileLines(Sim.openAiBatchGet(batchId).path("output_file_id").asText());
        assertThat(lines).hasSize(2).allSatisfy(line -> {
            String text = line.at("/response/body/choices/0/message/content").asText();
            assertThat(jsonObjectIn(text)).as(text).isFalse();
            assertThat(line.at("/response/body/usage/completion_tokens").asInt()).isEqualTo((text.length() + 3) / 4);
        });
        assertThat(Sim.ledger()).filteredOn(e -> e.path("endpoint").asText().equals("batch")).hasSize(2);
    }

    @Test
    void shouldBillAJudgeAnswerLikeAnyAnswer() {
        // given a rubric request to GPT-4o and one to Claude with its context marked for caching
        String context = JudgeTexts.rubricContext();
        String prompt = JudgeTexts.rubricPrompt("Write about salt.", write("o3", "Write about salt."));
        ObjectNode gpt = gptJudge(context, prompt);
        ObjectNode claude = claudeJudge(context, prompt);

        // when they are answered
        JsonNode completion = obj(openAi().body(gpt.toString()).post("/v1/chat/completions").then().statusCode(200)
                .extract().asString());
        JsonNode message = obj(anthropic().body(claude.toString()).post("/v1/messages").then().statusCode(200)
                .extract().asString());

        // then the usage counts the prompt and the answer at four characters a token, and the ledger has both
        String gptAnswer = completion.at("/choices/0/message/content").asText();
        assertThat(completion.at("/usage/prompt_tokens").asInt())
                .isEqualTo((context.length() + prompt.length() + 3) / 4);
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo((gptAnswer.length() + 3) / 4);
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        String claudeAnswer = message.at("/content/0/text").asText();
        assertThat(message.at("/usage/output_tokens").asInt()).isEqualTo((claudeAnswer.length() + 3) / 4);
        assertThat(Sim.ledger()).filteredOn(e -> e.path("body").toString().contains("[apex-judge:rubric v1]"))
                .hasSize(2);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Verdicts on pairs of equal pieces (none written by the simulator: all of quality 0) in both orders. */
    private static Positions positions(int pairs) {
        Positions positions = new Positions();
        for (int p = 0; p < pairs; p++) {
            String writingPrompt = "Write two lines about the tide, number " + p + ".";
            String x = "The tide came in at " + p + " o'clock.";
            String y = "The tide went out at " + p + " o'clock.";
            String xy = pairwise(writingPrompt, x, y).path("winner").asText();
            String yx = pairwise(writingPrompt, y, x).path("winner").asText();
            positions.count(0, xy);
            positions.count(1, yx);
            boolean xWinsBoth = xy.equals("A") && yx.equals("B");
            boolean yWinsBoth = xy.equals("B") && yx.equals("A");
            boolean bothTies = xy.equals("tie") && yx.equals("tie");
            positions.disagreements += xWinsBoth || yWinsBoth || bothTies ? 0 : 1;
        }
        return positions;
    }

    /** Per order (0: x first, 1: y first), how many decisive verdicts went to the first and the second piece. */
    private static final class Positions {
        private final int[] first = new int[2];
        private final int[] second = new int[2];
        private int disagreements;

        void count(int order, String winner) {
            if (winner.equals("A")) {
                first[order]++;
            } else if (winner.equals("B")) {
                second[order]++;
            }
        }

        double firstShare(int order) {
            return (double) first[order] / (first[order] + second[order]);
        }
    }

    private static Map<String, String> piecesByModel(String writingPrompt) {
        Map<String, String> pieces = new LinkedHashMap<>();
        PLANTED_ORDER.forEach(model -> pieces.put(model, write(model, writingPrompt)));
        return pieces;
    }

    /** An ordinary generation by {@code model}, as a lane would ask it (a house style, then the writing prompt). */
    private static String write(String model, String writingPrompt) {
        String style = "House style: plain words, concrete images.";
        if (model.startsWith("claude")) {
            ObjectNode params = JSON.createObjectNode().put("model", model).put("max_tokens", 8000);
            params.putArray("system").addObject().put("type", "text").put("text", style);
            params.putArray("messages").addObject().put("role", "user").put("content", writingPrompt);
            return claudeText(params);
        }
        ObjectNode body = JSON.createObjectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "system").put("content", style);
        body.withArray("messages").addObject().put("role", "user").put("content", writingPrompt);
        return gptText(body);
    }

    private static JsonNode pairwise(String writingPrompt, String pieceA, String pieceB) {
        return obj(claudeText(claudeJudge(JudgeTexts.pairwiseContext(),
                JudgeTexts.pairwisePrompt(writingPrompt, pieceA, pieceB))));
    }

    private static int imageryScore(String writingPrompt, String piece) throws IOException {
        return JSON.readTree(claudeText(claudeJudge(JudgeTexts.rubricContext(),
                JudgeTexts.rubricPrompt(writingPrompt, piece)))).at("/scores/imagery").asInt();
    }

    /** A judge request to Claude Sonnet 4.5 as the dispatcher builds it: the context a cached system block. */
    private static ObjectNode claudeJudge(String context, String prompt) {
        ObjectNode params = JSON.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 2000);
        params.putArray("system").addObject().put("type", "text").put("text", context)
                .putObject("cache_control").put("type", "ephemeral");
        params.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return params;
    }

    /** A judge request to GPT-4o: the context a system message. */
    private static ObjectNode gptJudge(String context, String prompt) {
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o").put("max_tokens", 2000);
        body.putArray("messages").addObject().put("role", "system").put("content", context);
        body.withArray("messages").addObject().put("role", "user").put("content", prompt);
        return body;
    }

    private static String claudeText(ObjectNode params) {
        JsonNode message = obj(anthropic().body(params.toString()).post("/v1/messages").then().statusCode(200)
                .extract().asString());
        JsonNode content = message.path("content");
        return content.path(content.size() - 1).path("text").asText();
    }

    private static String gptText(ObjectNode body) {
        return obj(openAi().body(body.toString()).post("/v1/chat/completions").then().statusCode(200)
                .extract().asString()).at("/choices/0/message/content").asText();
    }

    private static String claudeStreamed(ObjectNode params) {
        ObjectNode streamed = params.deepCopy().put("stream", true);
        StringBuilder text = new StringBuilder();
        events(anthropic().body(streamed.toString()).post("/v1/messages").then().statusCode(200).extract().asString())
                .forEach(e -> text.append(e.path("delta").path("text").asText("")));
        return text.toString();
    }

    private static String gptStreamed(ObjectNode body) {
        ObjectNode streamed = body.deepCopy().put("stream", true);
        StringBuilder text = new StringBuilder();
        events(openAi().body(streamed.toString()).post("/v1/chat/completions").then().statusCode(200).extract()
                .asString()).forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText("")));
        return text.toString();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Whether a JSON object can be read starting at any '{' of the text, as a lenient judge-answer reader tries. */
    private static boolean jsonObjectIn(String text) {
        for (int i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
            try {
                if (JSON.readTree(text.substring(i)).isObject()) {
                    return true;
                }
            } catch (IOException e) {
                // not here: try the next brace
            }
        }
        return false;
    }
}
