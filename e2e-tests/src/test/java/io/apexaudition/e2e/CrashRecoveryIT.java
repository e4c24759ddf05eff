package io.apexaudition.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.core.Chaos;
import io.apexaudition.events.Providers;
import io.apexaudition.testsupport.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills services at the most dangerous moments, the way SIGKILL does (Runtime.halt at a kill point: no shutdown
 * hook, nothing flushed), restarts them, and checks that the run completes with every generation recorded once
 * and every request paid for once: both dispatchers die after the provider accepted their batch but before
 * BatchSubmitted was written; the poller dies in the middle of its results transaction. Once with one instance of
 * each, once with two dispatchers per provider and two pollers.
 */
class CrashRecoveryIT {

    @Test
    void shouldCompleteTheRunPayingOnceWhenDispatchersAndPollerAreKilledAtTheWorstMoments() throws Exception {
        completesPayingOnceWhenKilledAtTheWorstMoments(1);
    }

    /**
     * The same kills with two dispatchers per provider and two pollers, each pair in its own consumer group under its
     * own transactional ids: one marker per role, so whichever instance of the pair reaches the kill point first
     * halts there (the lanes go to whichever owns their partitions), and nothing is restarted: the other instance
     * takes the dead one's partitions over once the group's session ends, with the intent left in doubt or the batch
     * half published, and finishes its work.
     */
    @Test
    void shouldCompleteTheRunPayingOnceWhenOneOfTwoDispatchersPerProviderAndOneOfTwoPollersAreKilled()
            throws Exception {
        completesPayingOnceWhenKilledAtTheWorstMoments(2);
    }

    private void completesPayingOnceWhenKilledAtTheWorstMoments(int instances) throws Exception {
        Path markers = Files.createTempDirectory("chaos");
        try (Stack stack = new Stack()) {
            // given every dispatcher armed to die once its provider accepted a batch whose BatchSubmitted is not yet
            // written, and every poller in the middle of a results transaction
            stack.startSimulator(Map.of("SIM_PHASE_IN_PROGRESS", "PT2S")).awaitReady(Duration.ofSeconds(120));
            stack.start("recorder", "recorder-service", Map.of());
            String planner = stack.start("planner", "planner-service", Map.of()).url();
            for (String provider : List.of(Providers.OPENAI, Providers.ANTHROPIC)) {
                Map<String, String> chaos = Map.of("APEX_CHAOS_HALT_AT", Chaos.DISPATCHER_AFTER_SUBMIT,
                        "APEX_CHAOS_MARKER", markers.resolve("dispatcher-" + provider).toString());
                for (int i = 1; i <= instances; i++) {
                    stack.startDispatcher(Stack.instance("dispatcher-" + provider, i, instances), provider, chaos);
                }
            }
            Map<String, String> pollerChaos = Map.of("APEX_CHAOS_HALT_AT", Chaos.POLLER_MID_RESULTS,
                    "APEX_CHAOS_MARKER", markers.resolve("poller").toString());
            for (int i = 1; i <= instances; i++) {
                stack.startPoller(Stack.instance("poller", i, instances), pollerChaos);
            }
            stack.services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
            stack.registerCatalog();

            // when a run goes through while every killed service is restarted as soon as it is found dead
            // two Anthropic lanes of the same size: reconciliation by request count has two candidates
            assertThat(cli("run", "--condition-slug", "4o.t0-6", "--condition-slug", "sonnet.t0-8.std",
                    "--condition-slug", "opus.t0-8.std", "--batch-mode",
                    "--limit", "5", "--created-by", "chaos", "--notes", "kill -9", "--run-id", "run-chaos",
                    "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();
            if (instances == 1) {
                restartTheDeadUntil(stack, () -> completed(stack) >= 15);
            } else {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> completed(stack) >= 15);
                // one of each pair died at its kill point, the other lived and took its work over
                for (String role : List.of("dispatcher-" + Providers.OPENAI, "dispatcher-" + Providers.ANTHROPIC,
                        "poller")) {
                    assertThat(List.of(1, 2)).as("live instances of %s", role)
                            .filteredOn(i -> stack.services.get(Stack.instance(role, i, instances)).isAlive())
                            .hasSize(1);
                }
            }

            // then every kill happened (once per role), the run completed, each generation is recorded once
            assertThat(markers.resolve("dispatcher-openai")).exists();
            assertThat(markers.resolve("dispatcher-anthropic")).exists();
            assertThat(markers.resolve("poller")).exists();
            assertThat(completed(stack)).isEqualTo(15);
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generation_attempts "
                    + "WHERE run_id = 'run-chaos'")).containsExactly("15");

            // and the provider was paid once per request: one batch per lane, each request billed once
            JsonNode batches = stack.sim("/_sim/batches");
            assertThat(batches.size()).as("batches created: %s", batches).isEqualTo(3);
            List<String> customIds = new ArrayList<>();
            stack.sim("/_sim/ledger").forEach(e -> customIds.add(e.path("customId").asText()));
            assertThat(customIds).hasSize(15);
            assertThat(new HashSet<>(customIds)).hasSize(15);
        }
    }

    @Test
    void shouldNotPayTwiceForSynchronousAndVerifyCallsCutShortByAKill() throws Exception {
        Path markers = Files.createTempDirectory("chaos-sync");
        try (Stack stack = new Stack()) {
            // given an OpenAI dispatcher killed once a synchronous call is answered but before its result is
            // committed, and an Anthropic one killed likewise during a verify-first call
            stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
            stack.start("recorder", "recorder-service", Map.of());
            String planner = stack.start("planner", "planner-service", Map.of()).url();
            for (var kill : Map.of(Providers.OPENAI, Chaos.DISPATCHER_DURING_SYNC, Providers.ANTHROPIC,
                    Chaos.DISPATCHER_DURING_VERIFY).entrySet()) {
                Map<String, String> env = new HashMap<>(stack.providerEnv());
                env.put("APEX_DISPATCHER_PROVIDER", kill.getKey());
                env.put("APEX_CHAOS_HALT_AT", kill.getValue());
                env.put("APEX_CHAOS_MARKER", markers.resolve("dispatcher-" + kill.getKey()).toString());
                stack.start("dispatcher-" + kill.getKey(), "dispatcher-service", env);
            }
            stack.start("poller", "poller-service", stack.providerEnv());
            stack.services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
            stack.registerCatalog();

            // when a synchronous run and a verify-first batch run go through while the killed dispatchers restart
            assertThat(cli("run", "--condition-slug", "gpt5.reason-min", "--limit", "3", "--created-by", "chaos",
                    "--notes", "kill during sync", "--run-id", "run-kill-sync", "--planner-url", planner,
                    "--bootstrap-servers", stack.kafka)).isZero();
            assertThat(cli("run", "--condition-slug", "sonnet.t0-8.std", "--batch-mode", "--verify-first",
                    "--limit", "3", "--created-by", "chaos", "--notes", "kill during verify", "--run-id",
                    "run-kill-verify", "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();
            restartTheDeadUntil(stack, () -> finalCount(stack, "run-kill-%") >= 6);

            // then both kills happened, every generation is final, none was paid twice, and the verify lane sent
            // no batch and stays retryable
            assertThat(markers.resolve("dispatcher-openai")).exists();
            assertThat(markers.resolve("dispatcher-anthropic")).exists();
            assertThat(finalCount(stack, "run-kill-%")).isEqualTo(6);
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT status || ':' || COALESCE(error_kind, '') FROM "
                    + "apex_audition.generations WHERE run_id = 'run-kill-sync'"))
                    .contains("error:unknown_outcome").allMatch(o -> o.equals("completed:")
                            || o.equals("error:unknown_outcome"));
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT error_kind FROM apex_audition.generations WHERE run_id "
                    + "= 'run-kill-verify' ORDER BY error_kind")).containsExactly("unknown_outcome",
                    "verify_inconclusive", "verify_inconclusive");
            assertThat(stack.sim("/_sim/batches").size()).isZero();
            assertBilledOnce(stack);
            int billedBefore = stack.sim("/_sim/ledger").size();
            long toRetry = Long.parseLong(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations "
                    + "WHERE run_id LIKE 'run-kill-%' AND status = 'error'").get(0));

            // and `apex retry` completes them all, paying once for each generation it sends again
            assertThat(cli("retry", "run-kill-sync", "--wait", "--timeout", "180", "--bootstrap-servers",
                    stack.kafka)).isZero();
            assertThat(cli("retry", "run-kill-verify", "--wait", "--timeout", "180", "--bootstrap-servers",
                    stack.kafka)).isZero();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    WalkingSkeletonIT.rows(stack, "SELECT status FROM apex_audition.generations WHERE run_id "
                            + "LIKE 'run-kill-%'")).hasSize(6).containsOnly("completed"));
            assertThat(stack.sim("/_sim/ledger").size() - billedBefore).isEqualTo(toRetry);
        }
    }

    /** Restarts every service found dead, as a platform would, until the condition holds (4 minutes at most). */
    private static void restartTheDeadUntil(Stack stack, java.util.concurrent.Callable<Boolean> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline && !done.call()) {
            for (ServiceProcess service : stack.services.values()) {
                if (!service.isAlive()) {
                    service.restart();
                }
            }
            Thread.sleep(500);
        }
    }

    private static long finalCount(Stack stack, String runIds) throws Exception {
        return Long.parseLong(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations "
                + "WHERE run_id LIKE '" + runIds + "' AND status IN ('completed', 'error')").get(0));
    }

    /** The simulator's ledger: each synchronous call and batch request billed, never one custom id twice. */
    private static void assertBilledOnce(Stack stack) throws Exception {
        List<String> billed = new ArrayList<>();
        stack.sim("/_sim/ledger").forEach(e -> billed.add(e.path("customId").asText(e.path("body").toString())));
        assertThat(new HashSet<>(billed)).as("billed: %s", billed).hasSameSizeAs(billed);
    }

    private static long completed(Stack stack) throws Exception {
        return Long.parseLong(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations "
                + "WHERE run_id = 'run-chaos' AND status = 'completed'").stream().findFirst().orElse("0"));
    }

    private static int cli(String... args) {
        return Stack.cli(args);
    }
}
