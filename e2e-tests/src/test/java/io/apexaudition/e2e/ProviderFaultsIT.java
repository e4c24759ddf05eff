package io.apexaudition.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A storm of provider faults (429 with retry-after, 5xx, per-request errors inside batches), then batches that
 * fail validation or are cancelled at the provider and calls that time out: every generation still ends in a
 * final, truthful state, no batch is created twice, nothing is billed twice, and `apex retry` completes what
 * failed for a retryable reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderFaultsIT {
    static final String STORM = """
            {"faults":{"retry-after-seconds":1,"request-error":0.2,"endpoints":{
              "openai.batches.create":{"rate-limit":0.3,"server-error":0.2},
              "anthropic.batches.create":{"rate-limit":0.3,"server-error":0.2},
              "openai.files":{"rate-limit":0.3},
              "openai.batches.get":{"rate-limit":0.3,"server-error":0.2},
              "anthropic.batches.get":{"rate-limit":0.3,"server-error":0.2},
              "openai.files.content":{"server-error":0.2},
              "anthropic.batches.results":{"server-error":0.2},
              "openai.chat":{"rate-limit":0.3,"server-error":0.1},
              "anthropic.messages":{"rate-limit":0.2,"server-error":0.2}}}}""";

    /** The same endpoints with every fault rate at zero. */
    static final String CALM = STORM.replaceAll("(?<rate>\"(rate-limit|server-error|request-error)\":)[0-9.]+", "${rate}0");

    private Stack stack;
    private String planner;

    @BeforeAll
    void startStack() {
        stack = new Stack();
        stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
        stack.startAll();
        planner = stack.services.get("planner").url();
        stack.registerCatalog();
    }

    @AfterAll
    void stopStack() {
        stack.close();
    }

    @Test
    void shouldEndEveryGenerationTruthfullyUnderAFaultStormAndCompleteThemWithRetry() throws Exception {
        int batchesBefore = stack.sim("/_sim/batches").size();
        stack.configureSimulator(STORM);

        // when batch lanes and a synchronous lane run through the storm
        assertThat(cli("run", "--condition-slug", "4o.t0-6", "--condition-slug", "sonnet.t0-8.std", "--batch-mode",
                "--limit", "8", "--created-by", "storm", "--notes", "faults", "--run-id", "run-storm", "--wait",
                "--timeout", "240", "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();
        assertThat(cli("run", "--condition-slug", "gpt5.reason-min", "--limit", "6", "--created-by", "storm",
                "--notes", "sync faults", "--run-id", "run-storm-sync", "--wait", "--timeout", "240",
                "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();

        // then every generation is final, and every error is a retryable one the provider really reported
        List<String> outcomes = WalkingSkeletonIT.rows(stack, "SELECT status || ':' || COALESCE(error_kind, '') "
                + "FROM apex_audition.generations WHERE run_id LIKE 'run-storm%'");
        assertThat(outcomes).hasSize(22).allMatch(o -> o.equals("completed:") || o.equals("error:server")
                || o.equals("error:rate_limit"));
        assertThat(outcomes).as("the storm should have failed some requests").anyMatch(o -> o.startsWith("error"));
        assertThat(stack.sim("/_sim/batches").size() - batchesBefore).as("one batch per lane, never two")
                .isEqualTo(2);
        assertNothingBilledTwice(stack);

        // and once the storm is over, retry completes them
        stack.configureSimulator(CALM);
        assertThat(cli("retry", "run-storm", "--wait", "--timeout", "240", "--bootstrap-servers", stack.kafka)).isZero();
        assertThat(cli("retry", "run-storm-sync", "--wait", "--timeout", "240", "--bootstrap-servers",
                stack.kafka)).isZero();
        assertThat(WalkingSkeletonIT.rows(stack, "SELECT status FROM apex_audition.generations WHERE run_id "
                + "LIKE 'run-storm%'")).hasSize(22).containsOnly("completed");
        assertNothingBilledTwice(stack);
    }

    @Test
    void shouldCreateEachBatchOnceWhenCreatesAnswerBadlyAndTheListingLagsOrFails() throws Exception {
        // given creates that are carried out but answered with a 500 (OpenAI) or a late 504 (Anthropic), a listing
        // that shows a batch only 2 s after its creation, and listings that fail twice
        int batchesBefore = stack.sim("/_sim/batches").size();
        stack.configureSimulator("""
                {"faults":{"listing-lag":"PT2S","timeout-hold":"PT1S","created-timeout-end":"gateway-timeout",
                  "endpoints":{"openai.batches.create":{"next":{"created-server-error":1}},
                    "anthropic.batches.create":{"next":{"created-timeout":1}},
                    "openai.batches.list":{"next":{"server-error":2}},
                    "anthropic.batches.list":{"next":{"server-error":2}}}}}""");
        try {
            // when a lane of each provider runs in batch mode
            assertThat(cli("run", "--condition-slug", "4o.t0-8", "--condition-slug", "sonnet.t0-8.std",
                    "--batch-mode", "--limit", "4", "--created-by", "faults", "--notes", "creates in doubt",
                    "--run-id", "run-in-doubt", "--wait", "--timeout", "240", "--planner-url", planner,
                    "--bootstrap-servers", stack.kafka)).isZero();
        } finally {
            stack.configureSimulator("{\"faults\":{\"listing-lag\":\"PT0S\"}}");
        }

        // then no create was sent again while the provider had it: one batch per lane, every request billed once,
        // and every generation completed from the batch the provider did create
        assertThat(stack.sim("/_sim/batches").size() - batchesBefore).as("one batch per lane, never two")
                .isEqualTo(2);
        assertThat(outcomes("run-in-doubt")).hasSize(8).containsOnly("completed:");
        assertNothingBilledTwice(stack);
    }

    @Test
    void shouldEndFailedValidationCancelledAndTimedOutWorkTruthfully() throws Exception {
        // given a provider that fails every batch's validation
        stack.configureSimulator("{\"faults\":{\"batch-fail-validation\":1.0}}");
        try {
            runBatch("4o.t0-6", 3, "run-invalid-batch");
        } finally {
            stack.configureSimulator("{\"faults\":{\"batch-fail-validation\":0.0}}");
        }
        // then every request of it ends as such, not retryable, and nothing is billed
        assertThat(outcomes("run-invalid-batch")).hasSize(3).containsOnly("error:batch_failed_validation");

        // given a batch cancelled at the provider while it runs
        stack.configureSimulator("{\"phases\":{\"in-progress\":\"PT8S\"}}");
        try {
            int before = stack.sim("/_sim/batches").size();
            assertThat(Stack.cli("run", "--condition-slug", "4o.t1-0", "--batch-mode", "--limit", "4", "--created-by",
                    "faults", "--notes", "cancelled", "--run-id", "run-cancelled", "--planner-url", planner,
                    "--bootstrap-servers", stack.kafka)).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> stack.sim("/_sim/batches").size() > before);
            Thread.sleep(3_000);
            String batchId = stack.sim("/_sim/batches").get(before).path("id").asText();
            HttpResponse<String> cancel = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            stack.simulatorUrl + "/v1/batches/" + batchId + "/cancel"))
                    .header("Authorization", "Bearer sim-openai-key").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        } finally {
            stack.configureSimulator("{\"phases\":{\"in-progress\":\"PT0S\"}}");
        }
        // then what ran before the cancel is completed, the rest ends cancelled (retryable), and it all ends
        await().atMost(Duration.ofSeconds(120)).until(() -> outcomes("run-cancelled").size() == 4
                && outcomes("run-cancelled").stream().allMatch(o -> o.equals("completed:") || o.equals("error:canceled")));
        assertThat(outcomes("run-cancelled")).contains("error:canceled");

        // given synchronous calls that time out at the provider
        stack.configureSimulator("{\"faults\":{\"timeout-hold\":\"PT1S\",\"endpoints\":{\"openai.chat\":{\"timeout\":1.0}}}}");
        try {
            assertThat(Stack.cli("run", "--condition-slug", "gpt5.reason-min", "--limit", "2", "--created-by", "faults",
                    "--notes", "timeouts", "--run-id", "run-timeouts", "--wait", "--timeout", "240", "--planner-url",
                    planner, "--bootstrap-servers", stack.kafka)).isZero();
        } finally {
            stack.configureSimulator("{\"faults\":{\"endpoints\":{\"openai.chat\":{\"timeout\":0.0}}}}");
        }
        // then each ends, after bounded retries, as a retryable error the provider really gave
        assertThat(outcomes("run-timeouts")).hasSize(2).allMatch(o -> o.equals("error:timeout") || o.equals("error:server"));
        assertNothingBilledTwice(stack);
    }

    private void runBatch(String slug, int limit, String runId) {
        assertThat(Stack.cli("run", "--condition-slug", slug, "--batch-mode", "--limit", Integer.toString(limit),
                "--created-by", "faults", "--notes", runId, "--run-id", runId, "--wait", "--timeout", "120",
                "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();
    }

    private List<String> outcomes(String runId) throws Exception {
        return WalkingSkeletonIT.rows(stack, "SELECT status || ':' || COALESCE(error_kind, '') FROM "
                + "apex_audition.generations WHERE run_id = '" + runId + "' AND status IN ('completed', 'error')");
    }

    private static void assertNothingBilledTwice(Stack stack) throws Exception {
        List<String> billed = new ArrayList<>();
        stack.sim("/_sim/ledger").forEach(e -> billed.add(e.path("customId").asText(e.path("body").toString())));
        assertThat(new HashSet<>(billed)).hasSameSizeAs(billed);
    }

    private static int cli(String... args) {
        return Stack.cli(args);
    }
}
