package io.apexaudition.e2e;

import io.apexaudition.testsupport.MetricsText;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Synchronous mode at the provider's pace, through real Kafka and the simulator over HTTP: the seed's 315
 * generations as fast as an instant provider allows, and as fast as a rate-limited one says it allows, each call paid
 * once. The dispatchers run at their default concurrency (8 per model).
 */
class SyncPaceIT {
    private static final int SEED = 315;

    @Test
    void shouldRunTheSeedsSynchronousAuditionQuicklyAgainstAnInstantProviderPayingOnce() throws Exception {
        try (Stack stack = new Stack()) {
            // given the whole stack against an instant simulator
            stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
            stack.startAll();
            stack.registerCatalog();

            // when the seed's audition runs in synchronous mode, twice (the second on warm services)
            double cold = runSeed(stack, "run-sync-cold");
            int billedAfterCold = stack.sim("/_sim/ledger").size();
            double warm = runSeed(stack, "run-sync-warm");

            // then every generation completed, each call billed once; the time is only bounded loosely here (the
            // machine running the tests may be loaded): `apex bench` holds the 2 s target
            System.out.printf(Locale.ROOT, "SyncPaceIT: %d synchronous generations, command to last row %.2f s cold, "
                    + "%.2f s warm%n", SEED, cold, warm);
            assertThat(billedAfterCold).as("calls billed by the cold run").isEqualTo(SEED);
            assertThat(stack.sim("/_sim/ledger").size()).isEqualTo(2 * SEED);
            assertCompletedAndBilledOnce(stack, "run-sync-cold", 0);
            assertCompletedAndBilledOnce(stack, "run-sync-warm", SEED);
            assertThat(warm).isLessThan(60);
        }
    }

    @Test
    void shouldKeepToARateLimitedProvidersBudgetFromItsHeaders() throws Exception {
        try (Stack stack = new Stack()) {
            // given a simulator allowing 5 calls per model per second, said in its rate-limit headers
            stack.startSimulator(Map.of("SIM_RATE_LIMIT_REQUESTS", "5", "SIM_RATE_LIMIT_WINDOW", "PT1S"))
                    .awaitReady(Duration.ofSeconds(120));
            stack.startAll();
            stack.registerCatalog();

            // when the seed's audition runs in synchronous mode (21 calls per lane, 63 per model)
            double seconds = runSeed(stack, "run-sync-limited");

            // then every generation completed and was billed once, and the dispatchers, shrinking and pausing as the
            // headers said, met few 429s: 52 in a run on 2026-12-01, against 268 with the headers ignored (each
            // call past the budget refused, then retried by the Retrier)
            System.out.printf(Locale.ROOT, "SyncPaceIT: %d synchronous generations at 5 calls/model/s in %.2f s%n",
                    SEED, seconds);
            assertThat(stack.sim("/_sim/ledger").size()).isEqualTo(SEED);
            assertCompletedAndBilledOnce(stack, "run-sync-limited", 0);
            double throttled = 0;
            for (String dispatcher : List.of("dispatcher-openai", "dispatcher-anthropic")) {
                MetricsText metrics = new MetricsText(get(stack.services.get(dispatcher).url() + "/q/metrics"));
                throttled += metrics.sum("apex_provider_calls_seconds_count", "status", "429");
            }
            System.out.printf(Locale.ROOT, "SyncPaceIT: 429 answers met: %.0f%n", throttled);
            assertThat(throttled).isLessThanOrEqualTo(120);
        }
    }

    /** Runs the seed's lanes and prompts synchronously; seconds from the command to the last final row. */
    private static double runSeed(Stack stack, String runId) throws Exception {
        long t0 = System.nanoTime();
        assertThat(Stack.cli("run", "--all-lanes", "--created-by", "e2e", "--notes", "sync pace", "--run-id", runId,
                "--planner-url", stack.services.get("planner").url(), "--bootstrap-servers", stack.kafka)).isZero();
        long deadline = t0 + Duration.ofSeconds(240).toNanos();
        while (finalRows(stack, runId) < SEED && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long finalRows(Stack stack, String runId) throws Exception {
        return Long.parseLong(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations WHERE "
                + "run_id = '" + runId + "' AND status IN ('completed', 'error')").get(0));
    }

    /**
     * Every generation of the run completed, and the simulator billed each of its calls once: a run's bodies are
     * the seed's again, so each run's calls are the ledger's SEED entries from {@code billedBefore} (the caller
     * checks the ledger's total).
     */
    private static void assertCompletedAndBilledOnce(Stack stack, String runId, int billedBefore) throws Exception {
        List<String> statuses = WalkingSkeletonIT.rows(stack, "SELECT status || ':' || COALESCE(error_kind, '') || "
                + "' ' || count(*) FROM apex_audition.generations WHERE run_id = '" + runId + "' GROUP BY status, "
                + "error_kind ORDER BY status, error_kind");
        if (!statuses.equals(List.of("completed: " + SEED))) {
            // a run that did not end is told with what the services said, so a failure on CI can be read there
            List<String> open = WalkingSkeletonIT.rows(stack, "SELECT custom_id || ' ' || status FROM "
                    + "apex_audition.generations WHERE run_id = '" + runId + "' AND status <> 'completed' LIMIT 5");
            StringBuilder told = new StringBuilder();
            for (String name : List.of("dispatcher-openai", "dispatcher-anthropic", "recorder", "planner")) {
                if (stack.services.containsKey(name)) {
                    told.append(stack.services.get(name).diagnostics(8, "apex-dispatch-lane", "sync-call"));
                }
            }
            throw new AssertionError("run " + runId + " did not end with " + SEED + " completed generations: "
                    + statuses + "; " + stack.sim("/_sim/ledger").size() + " calls billed in all; open: " + open
                    + "\n" + told);
        }
        List<String> billed = new java.util.ArrayList<>();
        stack.sim("/_sim/ledger").forEach(e -> billed.add(e.path("body").toString()));
        assertThat(new HashSet<>(billed.subList(billedBefore, billedBefore + SEED))).hasSize(SEED);
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
