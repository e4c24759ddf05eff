package io.apexaudition.e2e;

import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILLs the planner while it fans a 6,300-generation run out, and the recorder while it writes the results,
 * restarts both, and checks the fan-out is whole and single (exactly-once Kafka Streams transaction) and every
 * generation is recorded exactly once (idempotent writes).
 */
class PlannerRecorderCrashIT {
    static final int EXPECTED = 15 * 21 * 20;

    @Test
    void shouldFanOutExactlyOnceAndRecordOnceWhenPlannerAndRecorderAreKilled() throws Exception {
        try (Stack stack = new Stack()) {
            stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
            stack.startAll();
            String planner = stack.services.get("planner").url();
            stack.registerCatalog();
            ServiceProcess plannerProcess = stack.services.get("planner");
            ServiceProcess recorder = stack.services.get("recorder");

            // when the planner is killed just after the command arrives, and the recorder twice while it writes
            assertThat(cli("run", "--all-lanes", "--batch-mode", "--dry-run", "--replicates", "20", "--created-by",
                    "chaos", "--notes", "fan-out kill", "--run-id", "run-fanout", "--planner-url", planner,
                    "--bootstrap-servers", stack.kafka)).isZero();
            Thread.sleep(300);
            plannerProcess.kill();
            plannerProcess.restart();
            for (int kill = 0; kill < 2; kill++) {
                waitForRows(stack, 1 + kill * 1500L, Duration.ofSeconds(180));
                recorder.kill();
                recorder.restart();
            }
            plannerProcess.awaitReady(Duration.ofSeconds(120));
            recorder.awaitReady(Duration.ofSeconds(120));

            // then the whole fan-out exists once, and every generation is recorded once, as a dry run
            waitForRows(stack, EXPECTED, Duration.ofSeconds(300));
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations WHERE run_id = "
                    + "'run-fanout' AND status = 'dry_run'")).containsExactly(String.valueOf(EXPECTED));
            try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
                List<GenerationRequested> requests = new java.util.ArrayList<>();
                for (String topic : List.of(Topics.GENERATION_REQUESTS_OPENAI.name(),
                        Topics.GENERATION_REQUESTS_ANTHROPIC.name())) {
                    requests.addAll(kafka.readEvents(topic, GenerationRequested.class,
                            r -> r.runId().equals("run-fanout"), Integer.MAX_VALUE, Duration.ofSeconds(20)));
                }
                assertThat(requests).hasSize(EXPECTED);
                assertThat(new HashSet<>(requests.stream().map(GenerationRequested::generationId).toList()))
                        .hasSize(EXPECTED);
            }
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generation_attempts WHERE "
                    + "run_id = 'run-fanout'")).containsExactly(String.valueOf(EXPECTED));
        }
    }

    private static void waitForRows(Stack stack, long rows, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> count = WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations "
                    + "WHERE run_id = 'run-fanout' AND status = 'dry_run'");
            if (!count.isEmpty() && Long.parseLong(count.get(0)) >= rows) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static int cli(String... args) {
        return Stack.cli(args);
    }
}
