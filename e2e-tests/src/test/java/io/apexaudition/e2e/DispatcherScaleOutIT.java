package io.apexaudition.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.core.Chaos;
import io.apexaudition.events.Keys;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two dispatchers of one provider share the request partitions (each its own member of
 * {@code apex-dispatcher-<provider>}, under its own transactional id), and one of them dies mid-run: a batch run and a
 * synchronous run of every lane of the provider go through, every generation ends final, no request is paid twice and
 * no lane's requests go into a second batch. The run ids are chosen so that each run's lanes fall on all six request
 * partitions, and the runs start only once both dispatchers hold partitions, so both have lane groups of both runs. The death is drawn from a seed (printed;
 * {@code -Dapex.e2e.seed=N} replays it): a SIGKILL of a drawn dispatcher a drawn number of milliseconds after it
 * submitted its first batch, or a halt at a kill point (before a batch create, after it, or once a synchronous call
 * is answered) of whichever dispatcher reaches it first; the dead one is restarted after a drawn delay, or never
 * (then the other takes its partitions over once the group's session, 10 s, ends). Run for OpenAI (batches matched to
 * intents by their metadata) and for Anthropic, whose batches of a run are all of one size (three requests each) and
 * are matched to an intent in doubt by that count only, while the other dispatcher creates batches of the same size.
 */
class DispatcherScaleOutIT {
    private static final Provider OPENAI = new Provider(Providers.OPENAI, List.of("gpt5.reason-min",
            "gpt5.reason-med", "gpt5.reason-high", "o3.reason-low", "o3.reason-med", "o3.reason-high", "4o.t0-6",
            "4o.t0-8", "4o.t1-0"));
    private static final Provider ANTHROPIC = new Provider(Providers.ANTHROPIC, List.of("sonnet.t0-8.std",
            "sonnet.t1-0.std", "sonnet.t1-0.ext", "opus.t0-8.std", "opus.t1-0.std", "opus.t1-0.ext"));
    private static final int BATCH_LIMIT = 3;
    private static final int SYNC_LIMIT = 2;
    private static final List<String> KILL_POINTS = List.of(Chaos.DISPATCHER_BEFORE_CREATE,
            Chaos.DISPATCHER_AFTER_SUBMIT, Chaos.DISPATCHER_DURING_SYNC);

    /** A provider's dispatchers: their consumer group, the lanes run, and how their log says a batch was submitted. */
    private record Provider(String name, List<String> lanes) {
        String group() {
            return "apex-dispatcher-" + name;
        }

        String dispatcher(int n) {
            return "dispatcher-" + name + "-" + n;
        }

        Pattern submitted() {
            return Pattern.compile("Submitted " + name + " batch \\S+: lane (\\S+) of run (\\S+),");
        }
    }

    @Test
    void shouldPayEachRequestOnceWhenOneOfTwoOpenAiDispatchersDiesMidRun() throws Exception {
        paysOnceWhenOneOfTwoDies(OPENAI);
    }

    @Test
    void shouldPayEachRequestOnceWhenOneOfTwoAnthropicDispatchersDiesMidRun() throws Exception {
        paysOnceWhenOneOfTwoDies(ANTHROPIC);
    }

    private void paysOnceWhenOneOfTwoDies(Provider provider) throws Exception {
        long seed = Long.getLong("apex.e2e.seed", System.nanoTime());
        Random random = new Random(seed);
        int draw = random.nextInt(KILL_POINTS.size() + 1);
        String killPoint = draw < KILL_POINTS.size() ? KILL_POINTS.get(draw) : null;
        int victim = 1 + random.nextInt(2);
        long killAfterMillis = random.nextInt(6_000);
        boolean restart = random.nextBoolean();
        long restartAfterMillis = random.nextInt(15_000);
        System.out.printf("DispatcherScaleOutIT seed %d: %s, %s%n", seed, killPoint != null
                        ? "the first dispatcher to reach " + killPoint + " halts there"
                        : "SIGKILL of " + provider.dispatcher(victim) + " " + killAfterMillis + " ms after its first "
                        + "batch submission",
                restart ? "restarted " + restartAfterMillis + " ms later" : "never restarted");
        String batchRun = spreadOverEveryPartition(provider, "run-two-" + provider.name() + "-dispatchers-batch");
        String syncRun = spreadOverEveryPartition(provider, "run-two-" + provider.name() + "-dispatchers-sync");
        Path markers = Files.createTempDirectory("chaos");
        try (Stack stack = new Stack(); Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka))) {
            // given two dispatchers of one provider in one group, each holding some of the request partitions
            stack.startSimulator(Map.of("SIM_PHASE_IN_PROGRESS", "PT3S")).awaitReady(Duration.ofSeconds(120));
            stack.start("recorder", "recorder-service", Map.of());
            String planner = stack.start("planner", "planner-service", Map.of()).url();
            // one marker for both: whichever dispatcher reaches the kill point first halts, the other never does
            Map<String, String> chaos = killPoint == null ? Map.of() : Map.of("APEX_CHAOS_HALT_AT", killPoint,
                    "APEX_CHAOS_MARKER", markers.resolve("dispatcher").toString());
            ServiceProcess first = stack.startDispatcher(provider.dispatcher(1), provider.name(), chaos);
            ServiceProcess second = stack.startDispatcher(provider.dispatcher(2), provider.name(), chaos);
            stack.startPoller("poller", Map.of());
            stack.services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
            Map<String, Set<Integer>> shares = awaitBothHoldPartitions(admin, provider);
            System.out.printf("DispatcherScaleOutIT: %s owns the request partitions %s before the runs%n",
                    provider.group(), shares);
            stack.registerCatalog();

            // when a batch run and a synchronous run of every lane of the provider go through and one dispatcher dies
            assertThat(run(stack, planner, provider, batchRun, BATCH_LIMIT, true)).isZero();
            assertThat(run(stack, planner, provider, syncRun, SYNC_LIMIT, false)).isZero();
            if (killPoint == null) {
                // killed once it saw a lane group through: a partition whose offset and state then move to another
                // owner is where a lost commit would send a lane again
                ServiceProcess chosen = victim == 1 ? first : second;
                await().atMost(Duration.ofSeconds(120)).until(() -> !submitted(provider, chosen, batchRun).isEmpty());
            }
            ServiceProcess dead = Stack.oneOfTwoDies(first, second, killPoint != null, victim, killAfterMillis);
            ServiceProcess survivor = dead == first ? second : first;
            System.out.printf("DispatcherScaleOutIT: %s died (see %s)%n", provider.dispatcher(dead == first ? 1 : 2),
                    dead.log());
            if (restart) {
                Thread.sleep(restartAfterMillis);
                dead.restart();
            }
            int batchGenerations = provider.lanes().size() * BATCH_LIMIT;
            int syncGenerations = provider.lanes().size() * SYNC_LIMIT;
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    finalCount(stack, batchRun) + finalCount(stack, syncRun) >= batchGenerations + syncGenerations);

            // then every generation is final and recorded once: a batch lane loses nothing to the death, a
            // synchronous call cut short by it ends unknown_outcome, never sent again
            assertThat(survivor.isAlive()).isTrue();
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT status FROM apex_audition.generations WHERE run_id = '"
                    + batchRun + "'")).hasSize(batchGenerations).containsOnly("completed");
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT status || ':' || COALESCE(error_kind, '') FROM "
                    + "apex_audition.generations WHERE run_id = '" + syncRun + "'")).hasSize(syncGenerations)
                    .allMatch(o -> o.equals("completed:") || o.equals("error:unknown_outcome"));
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generation_attempts "
                    + "WHERE run_id IN ('" + batchRun + "', '" + syncRun + "')"))
                    .containsExactly(Integer.toString(batchGenerations + syncGenerations));

            // and the provider was paid once per request: no custom id (nor synchronous body) billed twice, each
            // batch request in one batch, one batch per lane
            JsonNode ledger = stack.sim("/_sim/ledger");
            List<String> billed = new ArrayList<>();
            Map<String, Set<String>> batchesOfCustomId = new HashMap<>();
            ledger.forEach(e -> {
                billed.add(e.path("customId").asText(e.path("body").toString()));
                if (!e.path("batchId").isNull() && !e.path("batchId").isMissingNode()) {
                    batchesOfCustomId.computeIfAbsent(e.path("customId").asText(), id -> new TreeSet<>())
                            .add(e.path("batchId").asText());
                }
            });
            assertThat(duplicates(billed)).as("custom ids (or synchronous bodies) billed twice").isEmpty();
            assertThat(batchesOfCustomId).hasSize(batchGenerations)
                    .allSatisfy((id, batches) -> assertThat(batches).as(id).hasSize(1));
            JsonNode batches = stack.sim("/_sim/batches");
            assertThat(batches.size()).as("batches created: %s", batches).isEqualTo(provider.lanes().size());

            // and both dispatchers took part: each held lane groups of both runs when they started (the survivor
            // submitted batches of its own; the dead one's may end as intents that its successor found submitted)
            assertThat(shares.values()).allSatisfy(owned -> {
                assertThat(owned).containsAnyElementsOf(partitionsOf(provider, batchRun));
                assertThat(owned).containsAnyElementsOf(partitionsOf(provider, syncRun));
            });
            Map<String, Set<String>> submittedBy = new HashMap<>();
            for (ServiceProcess d : List.of(first, second)) {
                submittedBy.put(provider.dispatcher(d == first ? 1 : 2), submitted(provider, d, batchRun));
            }
            System.out.printf("DispatcherScaleOutIT: batch lanes submitted per dispatcher: %s%n", submittedBy);
            assertThat(submitted(provider, survivor, batchRun)).isNotEmpty();
            if (killPoint != null) {
                assertThat(markers.resolve("dispatcher")).exists();
            }
            if (!restart) {
                // the runs may end before the group notices the dead member (its session, 10 s): the take-over of its
                // partitions comes then, whether or not they still held open lane groups
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                        assertThat(ownership(admin, provider)).as("the survivor alone owns every request partition")
                                .hasSize(1).allSatisfy((member, owned) -> assertThat(owned).hasSize(6)));
            }
        }
    }

    private static int run(Stack stack, String planner, Provider provider, String runId, int limit, boolean batch) {
        List<String> args = new ArrayList<>(List.of("run", "--limit", Integer.toString(limit), "--created-by",
                "scale-out", "--notes", "two dispatchers", "--run-id", runId, "--planner-url", planner,
                "--bootstrap-servers", stack.kafka));
        if (batch) {
            args.add("--batch-mode");
        }
        provider.lanes().forEach(slug -> args.addAll(List.of("--condition-slug", slug)));
        return Stack.cli(args.toArray(String[]::new));
    }

    /**
     * The first run id of the form {@code prefix-N} whose lanes fall on every request partition (the planner keys
     * requests by run and lane): however the group splits the partitions, each dispatcher gets lane groups of it.
     */
    private static String spreadOverEveryPartition(Provider provider, String prefix) {
        for (int n = 0; ; n++) {
            String runId = prefix + "-" + n;
            if (partitionsOf(provider, runId).size() == Topics.generationRequests(provider.name()).partitions()) {
                return runId;
            }
        }
    }

    /** The request partitions of a run's lanes, as the producer's default partitioner places them. */
    private static Set<Integer> partitionsOf(Provider provider, String runId) {
        int partitions = Topics.generationRequests(provider.name()).partitions();
        return provider.lanes().stream().map(slug -> Utils.toPositive(Utils.murmur2(Keys.lane(runId, slug)
                .getBytes(StandardCharsets.UTF_8))) % partitions).collect(Collectors.toSet());
    }

    /** Waits until the group is stable with both dispatchers in it, each holding partitions; their shares. */
    private static Map<String, Set<Integer>> awaitBothHoldPartitions(Admin admin, Provider provider) {
        Map<String, Set<Integer>> shares = new HashMap<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            shares.clear();
            shares.putAll(ownership(admin, provider));
            assertThat(shares).as("the request partitions of %s per member", provider.group()).hasSize(2)
                    .allSatisfy((member, owned) -> assertThat(owned).isNotEmpty());
        });
        return shares;
    }

    /** The request partitions each member of a stable group holds, by its instance id (its transactional id). */
    private static Map<String, Set<Integer>> ownership(Admin admin, Provider provider) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(provider.group())).describedGroups()
                .get(provider.group()).get();
        Map<String, Set<Integer>> owned = new HashMap<>();
        if (group.groupState() != GroupState.STABLE) {
            return owned;
        }
        for (MemberDescription member : group.members()) {
            owned.put(member.groupInstanceId().orElse(member.consumerId()), member.assignment().topicPartitions()
                    .stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new)));
        }
        return owned;
    }

    /** The lanes of a run whose batch this dispatcher submitted, from its log (every life of it). */
    private static Set<String> submitted(Provider provider, ServiceProcess dispatcher, String runId) throws Exception {
        Set<String> lanes = new TreeSet<>();
        Pattern submitted = provider.submitted();
        for (String line : Files.readAllLines(dispatcher.log())) {
            Matcher m = submitted.matcher(line);
            if (m.find() && m.group(2).equals(runId)) {
                lanes.add(m.group(1));
            }
        }
        return lanes;
    }

    private static Set<String> duplicates(List<String> billed) {
        Set<String> seen = new HashSet<>();
        return billed.stream().filter(b -> !seen.add(b)).collect(Collectors.toSet());
    }

    private static long finalCount(Stack stack, String runId) throws Exception {
        return Long.parseLong(WalkingSkeletonIT.rows(stack, "SELECT count(*) FROM apex_audition.generations WHERE "
                + "run_id = '" + runId + "' AND status IN ('completed', 'error')").stream().findFirst().orElse("0"));
    }
}
