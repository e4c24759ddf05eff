package io.apexaudition.e2e;

import io.apexaudition.core.Chaos;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two poller instances share the open batches (issue 18): the consumer group splits apex.batches between them, and
 * when one is killed mid-run and not restarted, the other takes over its partitions, restores their open batches
 * from apex.open-batches and finishes them: every generation ends final, every result is committed once, every
 * request is billed once. The kill point is drawn from a seed (printed; {@code -Dapex.e2e.seed=N} replays it):
 * either inside the first results transaction either poller reaches (every result sent, nothing committed), or a
 * SIGKILL of a drawn poller a drawn number of seconds into the run.
 */
class PollerScaleOutIT {
    private static final String RUN = "run-two-pollers";
    private static final List<String> LANES = List.of("4o.t0-6", "4o.t0-8", "4o.t1-0", "sonnet.t0-8.std",
            "sonnet.t1-0.std", "opus.t0-8.std", "opus.t1-0.std");
    private static final int LIMIT = 3;

    @Test
    void shouldFinishEveryBatchOnceWhenOneOfTwoPollersIsKilledMidRun() throws Exception {
        long seed = Long.getLong("apex.e2e.seed", System.nanoTime());
        Random random = new Random(seed);
        boolean midResults = random.nextBoolean();
        int victim = 1 + random.nextInt(2);
        long killAfterMillis = 2000 + random.nextInt(10_000);
        System.out.printf("PollerScaleOutIT seed %d: %s%n", seed, midResults
                ? "the first poller inside a results transaction halts there"
                : "SIGKILL of poller-" + victim + " " + killAfterMillis + " ms into the run");
        Path markers = Files.createTempDirectory("chaos");
        try (Stack stack = new Stack()) {
            stack.startSimulator(Map.of("SIM_PHASE_IN_PROGRESS", "PT3S")).awaitReady(Duration.ofSeconds(120));
            stack.start("recorder", "recorder-service", Map.of());
            String planner = stack.start("planner", "planner-service", Map.of()).url();
            stack.startDispatcher("openai");
            stack.startDispatcher("anthropic");
            // one marker for both: whichever poller reaches the kill point first halts, the other never does
            Map<String, String> chaos = midResults ? Map.of("APEX_CHAOS_HALT_AT", Chaos.POLLER_MID_RESULTS,
                    "APEX_CHAOS_MARKER", markers.resolve("poller").toString()) : Map.of();
            ServiceProcess first = stack.startPoller("poller-1", chaos);
            ServiceProcess second = stack.startPoller("poller-2", chaos);
            stack.services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
            stack.registerCatalog();

            // when a run of several batch lanes goes through and one poller dies and stays dead
            List<String> args = new ArrayList<>(List.of("run", "--batch-mode", "--limit", Integer.toString(LIMIT),
                    "--created-by", "scale-out", "--notes", "two pollers", "--run-id", RUN, "--planner-url", planner,
                    "--bootstrap-servers", stack.kafka));
            LANES.forEach(slug -> args.addAll(List.of("--condition-slug", slug)));
            assertThat(Stack.cli(args.toArray(String[]::new))).isZero();
            ServiceProcess dead = Stack.oneOfTwoDies(first, second, midResults, victim, killAfterMillis);
            ServiceProcess survivor = dead == first ? second : first;
            int generations = LANES.size() * LIMIT;
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    finalCount(stack) >= generations);

            // then every generation is final and recorded once, by the survivor's take-over where needed
            assertThat(dead.isAlive()).isFalse();
            assertThat(survivor.isAlive()).isTrue();
            assertThat(finalCount(stack)).isEqualTo(generations);
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generation_attempts "
                    + "WHERE run_id = '" + RUN + "'")).containsExactly(Integer.toString(generations));
            // the run may end before the group notices a SIGKILLed poller (its session, 10 s): the take-over of its
            // partitions comes then, whether or not they still held open batches
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(Files.readAllLines(survivor.log()).stream()
                            .filter(l -> l.contains("Assigned [")).count())
                            .as("the survivor's assignments (its share, then the dead poller's): see %s",
                                    survivor.log())
                            .isGreaterThanOrEqualTo(2));
            // and each result was committed once to apex.generation-results (an aborted transaction is invisible)
            try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
                List<GenerationCompleted> results = kafka.readEvents(Topics.GENERATION_RESULTS.name(),
                        GenerationCompleted.class, r -> RUN.equals(r.runId()), generations + 1, Duration.ofSeconds(10));
                Map<String, Long> perGeneration = results.stream().collect(Collectors.groupingBy(
                        GenerationCompleted::generationId, Collectors.counting()));
                assertThat(perGeneration).hasSize(generations).allSatisfy((id, n) -> assertThat(n).as(id).isOne());
            }
            // and the provider billed each request once: one batch per lane
            assertThat(stack.sim("/_sim/batches").size()).isEqualTo(LANES.size());
            List<String> billed = new ArrayList<>();
            stack.sim("/_sim/ledger").forEach(e -> billed.add(e.path("customId").asText()));
            assertThat(billed).hasSize(generations);
            assertThat(new HashSet<>(billed)).hasSize(generations);
            if (midResults) {
                assertThat(markers.resolve("poller")).exists();
            }

            // and a poller stopped cleanly leaves the group, so the survivor takes its partitions at once rather than
            // after the group's 10 s session (the shutdown used to end the JVM before the loop closed its consumer)
            ServiceProcess third = stack.startPoller("poller-3", Map.of()).awaitReady(Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> assignments(third) >= 1);
            Thread.sleep(2000); // the survivor's side of the cooperative rebalance settles
            long before = assignments(survivor);
            third.close();
            await().atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(assignments(survivor))
                            .as("the survivor's assignments after poller-3 stopped: see %s", survivor.log())
                            .isGreaterThan(before));
        }
    }

    private static long assignments(ServiceProcess poller) throws java.io.IOException {
        return Files.readAllLines(poller.log()).stream().filter(l -> l.contains("Assigned [")).count();
    }

    private static long finalCount(Stack stack) throws Exception {
        return Long.parseLong(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations WHERE "
                + "run_id = '" + RUN + "' AND status IN ('completed', 'error')").stream().findFirst().orElse("0"));
    }
}
