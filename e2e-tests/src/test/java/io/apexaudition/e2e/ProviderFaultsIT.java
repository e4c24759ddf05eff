package io.apexaudition.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventJson;
import org.junit.jupiter.api.Test;

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

/**
 * A storm of provider faults (429 with retry-after, 5xx, per-request errors inside batches): every generation
 * still ends in a final, truthful state, no batch is created twice, nothing is billed twice, and `apex retry`
 * then completes what failed for a retryable reason.
 */
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

    @Test
    void shouldEndEveryGenerationTruthfullyUnderAFaultStormAndCompleteThemWithRetry() throws Exception {
        try (Stack stack = new Stack()) {
            stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
            stack.startAll();
            String planner = stack.services.get("planner").url();
            stack.registerCatalog();
            post(stack, STORM);

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
            assertThat(sim(stack, "/_sim/batches").size()).as("one batch per lane, never two").isEqualTo(2);
            assertNothingBilledTwice(stack);

            // and once the storm is over, retry completes them
            post(stack, CALM);
            assertThat(cli("retry", "run-storm", "--wait", "--timeout", "240", "--bootstrap-servers", stack.kafka)).isZero();
            assertThat(cli("retry", "run-storm-sync", "--wait", "--timeout", "240", "--bootstrap-servers",
                    stack.kafka)).isZero();
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT status FROM apex_audition.generations WHERE run_id "
                    + "LIKE 'run-storm%'")).hasSize(22).containsOnly("completed");
            assertNothingBilledTwice(stack);
        }
    }

    private static void assertNothingBilledTwice(Stack stack) throws Exception {
        List<String> billed = new ArrayList<>();
        sim(stack, "/_sim/ledger").forEach(e -> billed.add(e.path("customId").asText(e.path("body").toString())));
        assertThat(new HashSet<>(billed)).hasSameSizeAs(billed);
    }

    private static void post(Stack stack, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl
                        + "/_sim/config")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode sim(Stack stack, String path) throws Exception {
        return EventJson.mapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.simulatorUrl + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int cli(String... args) {
        return Stack.cli(args);
    }
}
