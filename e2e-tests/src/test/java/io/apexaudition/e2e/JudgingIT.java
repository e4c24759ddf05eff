package io.apexaudition.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.JudgingRubric;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's check, end to end: the seed's 15 lanes x 21 prompts, then a pairwise judging pass in batch mode through
 * the same planner, dispatchers, batch APIs, poller and recorder. The simulator judges from a hidden quality per model
 * planted by the test; the leaderboard must recover that order, with intervals that do not overlap for lanes far
 * apart; each judge request reaches the provider once, in a batch; a rebuild gives back the same judgments and the
 * same leaderboard; an invalid judging command is refused naming the fix; an unreadable answer ends as a retryable
 * error that {@code apex retry} mends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JudgingIT {
    private static final String RUN = "run-judged";
    private static final String PASS = RUN + ".judge-1";
    /** The planted order, best first, as the lane slugs name the models. */
    private static final List<String> PLANTED = List.of("opus", "gpt5", "sonnet", "o3", "4o");

    private Stack stack;
    private String planner;

    @BeforeAll
    void runTheAuditionThenJudgeIt() throws Exception {
        // the in-process CLI finds config/judging/rubric.yaml from the repository's root
        System.setProperty("APEX_ROOT", "..");
        stack = new Stack();
        stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
        stack.startAll();
        planner = stack.services.get("planner").url();
        stack.registerCatalog();
        // a planted order with room between the models; no position bias to hide behind
        stack.configureSimulator("{\"judge-quality\":{\"claude-opus-4-1\":2.0,\"gpt-5\":1.5,\"claude-sonnet-4-5\":1.0,"
                + "\"o3\":0.5,\"gpt-4o\":0.0},\"judge-noise\":0.3}");
        assertThat(Stack.cli("run", "--all-lanes", "--batch-mode", "--created-by", "e2e", "--notes", "to be judged",
                "--run-id", RUN, "--wait", "--timeout", "240", "--planner-url", planner, "--bootstrap-servers",
                stack.kafka)).isZero();
        // the judges after the run: registered before it, --all-lanes would have sent them the prompts too
        assertThat(Stack.cli("lanes", "register", "--config", "../config/judging/judges.yaml", "--models",
                "../config/models.yaml", "--planner-url", planner)).isZero();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void shouldRecoverThePlantedOrderFromAPairwisePassSentThroughTheBatchApisOnce() throws Exception {
        // when the run is judged pairwise in batch mode
        Captured judged = captured(() -> Stack.cli("judge", RUN, "--judge-lane", "judge.4o", "--pairwise",
                "--batch-mode", "--run-id", PASS, "--wait", "--timeout", "300", "--planner-url", planner,
                "--bootstrap-servers", stack.kafka));
        assertThat(judged.exit()).as(judged.output()).isZero();

        // then 21 prompts x 30 pairs x 2 orders were judged, every answer read
        assertThat(rows("SELECT status, count(*) FROM apex_audition.judgments WHERE run_id = '" + PASS + "'"
                + " GROUP BY status", 2)).containsExactly("judged|1260");

        // and each judge request reached the provider exactly once, in a batch (at batch prices)
        Set<String> passBatches = new HashSet<>(rows("SELECT DISTINCT batch_id FROM apex_audition.generations"
                + " WHERE run_id = '" + PASS + "'", 1));
        List<String> customIds = new ArrayList<>();
        for (JsonNode entry : stack.sim("/_sim/ledger")) {
            if (passBatches.contains(entry.path("batchId").asText())) {
                customIds.add(entry.path("customId").asText());
            }
        }
        assertThat(customIds).hasSize(1260).doesNotHaveDuplicates();
        assertThat(rows("SELECT count(*) FROM apex_audition.generations WHERE run_id = '" + PASS + "'"
                + " AND status = 'completed' AND mode = 'batch' AND batch_id IS NOT NULL AND cost_usd > 0", 1))
                .containsExactly("1260");

        // and the leaderboard ranks the models as planted, lanes far apart with intervals apart
        Map<String, double[]> ratings = ratings(leaderboardJson());
        assertThat(ratings).hasSize(15);
        List<String> byModel = new ArrayList<>(PLANTED);
        byModel.sort((a, b) -> Double.compare(meanRating(ratings, b), meanRating(ratings, a)));
        assertThat(byModel).as("models by mean rating: %s", ratings.keySet()).containsExactlyElementsOf(PLANTED);
        for (String best : lanesOf(ratings, "opus")) {
            for (String worst : lanesOf(ratings, "4o")) {
                assertThat(ratings.get(best)[1]).as("%s's interval lies above %s's", best, worst)
                        .isGreaterThan(ratings.get(worst)[2]);
            }
        }
    }

    @Test
    @Order(2)
    void shouldRebuildTheSameJudgmentsAndTheSameLeaderboard() throws Exception {
        Map<String, String> before = judgmentDigests();
        String board = leaderboardJson();

        assertThat(Stack.cli("rebuild", "--recorder-url", stack.services.get("recorder").url())).isZero();

        assertThat(judgmentDigests()).isEqualTo(before);
        assertThat(leaderboardJson()).isEqualTo(board);
    }

    @Test
    @Order(3)
    void shouldRefuseAJudgingCommandWithAnUnknownJudgeNamingTheFix() {
        // given a hand-written judging command naming a judge lane nobody registered
        String bad = RUN + ".judge-bad";
        JudgingRequested command = new JudgingRequested(EventIds.newEventId(), 1, Instant.now(), bad, RUN,
                List.of("judge.nobody"), JudgingKind.RUBRIC, new JudgingRubric("r", "Judge it.",
                List.of(new JudgingRubric.Criterion("voice", "a voice")), 1, 10, "JSON", "Compare.", "JSON"), null,
                RunMode.BATCH, false, true, "e2e", "bad judge", List.of(new JudgingRequested.Prompt("p01", 1, "Write.")),
                List.of(new JudgingRequested.Output("g-1", "p01", "4o.t0-6", 1, "A piece.")));

        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
            kafka.publish(Topics.RUN_COMMANDS.name(), command);

            // then the planner answers with a RunRejected naming the lane and how to register it
            RunRejected rejected = kafka.readEvents(Topics.RUNS.name(), RunRejected.class,
                    r -> r.runId().equals(bad), 1, Duration.ofSeconds(60)).get(0);
            assertThat(String.join("\n", rejected.problems())).contains("judge.nobody").contains("register");
        }
    }

    @Test
    @Order(4)
    void shouldEndAnUnreadableAnswerAsARetryableErrorThatApexRetryMends() throws Exception {
        // given a judge whose next 3 answers are not JSON
        stack.configureSimulator("{\"faults\":{\"judge-garbage-next\":3}}");
        String pass = RUN + ".judge-garbled";

        // when one prompt's outputs are scored on the rubric, synchronously
        Captured judged = captured(() -> Stack.cli("judge", RUN, "--judge-lane", "judge.4o", "--limit", "1",
                "--run-id", pass, "--wait", "--timeout", "120", "--planner-url", planner, "--bootstrap-servers",
                stack.kafka));
        assertThat(judged.exit()).as(judged.output()).isZero();

        // then 3 answers are kept as they came, unreadable, and their judge requests ended in a retryable error
        assertThat(rows("SELECT status, count(*) FROM apex_audition.judgments WHERE run_id = '" + pass + "'"
                + " GROUP BY status ORDER BY status", 2)).containsExactly("judged|12", "unparseable|3");
        assertThat(rows("SELECT error_kind, count(*) FROM apex_audition.generations WHERE run_id = '" + pass + "'"
                + " AND status = 'error' GROUP BY error_kind", 2)).containsExactly("unparseable_judgment|3");
        assertThat(rows("SELECT count(*) FROM apex_audition.generations WHERE run_id = '" + pass + "'"
                + " AND status = 'error' AND output_text <> ''", 1)).containsExactly("3");

        // and apex retry asks again, and the judge's second answers are read
        assertThat(Stack.cli("retry", pass, "--wait", "--timeout", "120", "--bootstrap-servers", stack.kafka))
                .isZero();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(rows("SELECT status, count(*) FROM apex_audition.judgments WHERE run_id = '" + pass + "'"
                        + " GROUP BY status", 2)).containsExactly("judged|15"));
    }

    // ---- plumbing ----

    private record Captured(int exit, String output) {
    }

    private interface CliCall {
        int run();
    }

    private static Captured captured(CliCall call) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = call.run();
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        return new Captured(exit, output);
    }

    private String leaderboardJson() {
        Captured board = captured(() -> Stack.cli("leaderboard", RUN, "--judging-run", PASS, "--format", "json"));
        assertThat(board.exit()).as(board.output()).isZero();
        return board.output().substring(board.output().indexOf('{'));
    }

    /** Each lane's rating and 95% interval: {rating, lower, upper}. */
    private static Map<String, double[]> ratings(String json) throws Exception {
        Map<String, double[]> ratings = new TreeMap<>();
        for (JsonNode row : EventJson.mapper().readTree(json).path("lanes")) {
            ratings.put(row.path("lane").asText(), new double[] {row.path("rating").asDouble(),
                    row.path("ratingLower").asDouble(), row.path("ratingUpper").asDouble()});
        }
        return ratings;
    }

    private static List<String> lanesOf(Map<String, double[]> ratings, String model) {
        return ratings.keySet().stream().filter(l -> l.startsWith(model + ".")).toList();
    }

    private static double meanRating(Map<String, double[]> ratings, String model) {
        return lanesOf(ratings, model).stream().mapToDouble(l -> ratings.get(l)[0]).average().orElseThrow();
    }

    private Map<String, String> judgmentDigests() throws Exception {
        Map<String, String> digests = new HashMap<>();
        for (String table : List.of("judgments", "generations")) {
            digests.put(table, rows("SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY t::text))"
                    + " FROM apex_audition." + table + " t", 1).get(0));
        }
        return digests;
    }

    private List<String> rows(String sql, int columns) throws Exception {
        return AuditionIT.rows(stack, sql, columns);
    }
}
