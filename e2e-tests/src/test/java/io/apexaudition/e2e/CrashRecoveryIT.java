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
 * BatchSubmitted was written; the poller dies in the middle of its results transaction.
 */
class CrashRecoveryIT {

    @Test
    void shouldCompleteTheRunPayingOnceWhenDispatchersAndPollerAreKilledAtTheWorstMoments() throws Exception {
        Path markers = Files.createTempDirectory("chaos");
        try (Stack stack = new Stack()) {
            stack.startSimulator(Map.of("SIM_PHASE_IN_PROGRESS", "PT2S")).awaitReady(Duration.ofSeconds(120));
            stack.start("recorder", "recorder-service", Map.of());
            String planner = stack.start("planner", "planner-service", Map.of()).url();
            for (String provider : List.of(Providers.OPENAI, Providers.ANTHROPIC)) {
                Map<String, String> env = new HashMap<>(stack.providerEnv());
                env.put("APEX_DISPATCHER_PROVIDER", provider);
                env.put("APEX_CHAOS_HALT_AT", Chaos.DISPATCHER_AFTER_SUBMIT);
                env.put("APEX_CHAOS_MARKER", markers.resolve("dispatcher-" + provider).toString());
                stack.start("dispatcher-" + provider, "dispatcher-service", env);
            }
            Map<String, String> pollerEnv = new HashMap<>(stack.providerEnv());
            pollerEnv.put("APEX_CHAOS_HALT_AT", Chaos.POLLER_MID_RESULTS);
            pollerEnv.put("APEX_CHAOS_MARKER", markers.resolve("poller").toString());
            stack.start("poller", "poller-service", pollerEnv);
            stack.services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
            stack.registerCatalog();

            // when a run goes through while every killed service is restarted as soon as it is found dead
            // two Anthropic lanes of the same size: reconciliation by request count has two candidates
            assertThat(cli("run", "--condition-slug", "4o.t0-6", "--condition-slug", "sonnet.t0-8.std",
                    "--condition-slug", "opus.t0-8.std", "--batch-mode",
                    "--limit", "5", "--created-by", "chaos", "--notes", "kill -9", "--run-id", "run-chaos",
                    "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (System.nanoTime() < deadline && completed(stack) < 15) {
                for (ServiceProcess service : stack.services.values()) {
                    if (!service.isAlive()) {
                        service.restart();
                    }
                }
                Thread.sleep(500);
            }

            // then every kill happened, the run completed, each generation is recorded once
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

    private static long completed(Stack stack) throws Exception {
        return Long.parseLong(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations "
                + "WHERE run_id = 'run-chaos' AND status = 'completed'").stream().findFirst().orElse("0"));
    }

    private static int cli(String... args) {
        return Stack.cli(args);
    }
}
