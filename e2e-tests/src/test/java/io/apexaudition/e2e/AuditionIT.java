package io.apexaudition.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.MetricsText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's main job, end to end: 15 lanes x 21 prompts in batch mode through the real broker, the real
 * database, the packaged services as processes and the provider simulator over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditionIT {
    private Stack stack;
    private String planner;

    /** Instances of each service that may run more than once (the poller, both dispatchers). */
    int instances() {
        return 1;
    }

    @BeforeAll
    void startStack() {
        stack = new Stack();
        stack.startSimulator(Map.of()).awaitReady(Duration.ofSeconds(120));
        stack.startAll(instances());
        planner = stack.services.get("planner").url();
        stack.registerCatalog();
    }

    @AfterAll
    void stopStack() {
        stack.close();
    }

    @Test
    @Order(1)
    void shouldRunAllFifteenLanesInBatchModeIntoThreeHundredFifteenCompletedRows() throws Exception {
        // when the whole audition runs in batch mode
        Map<String, MetricsText> before = metrics();
        int exit = cli("run", "--all-lanes", "--batch-mode", "--created-by", "e2e", "--notes", "full audition",
                "--run-id", "run-full", "--wait", "--timeout", "240", "--planner-url", planner, "--bootstrap-servers",
                stack.kafka);

        // then every generation completed, and the seed's three queries say so verbatim
        assertThat(exit).isZero();
        List<String> status = rows("""
                SELECT
                  g.lane_id,
                  g.status,
                  COUNT(*) as count,
                  COUNT(*) FILTER (WHERE g.cache_hit) as cache_hits
                FROM apex_audition.generations g
                WHERE g.run_id = 'run-full'
                GROUP BY g.lane_id, g.status
                ORDER BY g.lane_id, g.status;""", 3);
        assertThat(status).hasSize(15).allMatch(r -> r.endsWith("|completed|21"));
        List<String> coverage = rows("""
                SELECT
                  c.slug as lane_id,
                  COUNT(g.id) as generations,
                  COUNT(*) FILTER (WHERE g.status = 'completed') as completed,
                  COUNT(*) FILTER (WHERE g.status = 'error') as errors
                FROM apex_audition.conditions c
                LEFT JOIN apex_audition.generations g ON c.id = g.condition_id
                GROUP BY c.slug
                ORDER BY c.slug;""", 4);
        assertThat(coverage).hasSize(15).allMatch(r -> r.endsWith("|21|21|0"));
        assertThat(rows("""
                SELECT lane_id, prompt_id, error_message
                FROM apex_audition.generations
                WHERE status = 'error' AND run_id = 'run-full';""", 3)).isEmpty();
        assertThat(rows("SELECT count(*) FROM apex_audition.generations WHERE run_id = 'run-full' AND cost_usd > 0 "
                + "AND output_tokens > 0 AND batch_id IS NOT NULL", 1)).containsExactly("315");
        assertThat(rows("SELECT status FROM apex_audition.runs WHERE id = 'run-full'", 1)).containsExactly("completed");

        // and the provider saw each request exactly once, within its rules
        JsonNode ledger = ledger();
        List<String> customIds = new ArrayList<>();
        for (JsonNode entry : ledger) {
            if (!fullRunBatches().contains(entry.path("batchId").asText())) {
                continue;
            }
            customIds.add(entry.path("customId").asText());
            JsonNode body = entry.path("body");
            String model = body.path("model").asText();
            if (model.equals("gpt-5") || model.equals("o3")) {
                assertThat(body.has("temperature")).as("temperature sent to %s", model).isFalse();
            }
            if (body.has("thinking")) {
                int budget = body.path("thinking").path("budget_tokens").asInt();
                int max = body.path("max_tokens").asInt();
                assertThat(budget).isLessThan(max);
                assertThat(max).isLessThanOrEqualTo(model.contains("opus") ? 32000 : 64000);
                assertThat(body.has("temperature")).isFalse();
            }
            if (body.has("temperature") && model.startsWith("claude")) {
                assertThat(body.path("temperature").asDouble()).isBetween(0.0, 1.0);
            }
        }
        assertThat(customIds).hasSize(315);
        Set<String> distinct = new HashSet<>(customIds);
        assertThat(distinct).hasSize(315);

        // and every service's /q/metrics moved with the run
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertMetricsMoved(before, metrics()));
    }

    /**
     * Each service's /q/metrics page, by service name (the simulator serves none); a service running as several
     * instances (dispatcher-openai-1, dispatcher-openai-2) reads as their pages together, so its sums are theirs.
     */
    private Map<String, MetricsText> metrics() {
        Map<String, MetricsText> pages = new java.util.HashMap<>();
        for (String name : List.of("planner", "dispatcher-openai", "dispatcher-anthropic", "poller", "recorder")) {
            StringBuilder text = new StringBuilder();
            stack.services.forEach((instance, service) -> {
                if (instance.equals(name) || instance.matches(java.util.regex.Pattern.quote(name) + "-\\d+")) {
                    text.append(MetricsText.scrape(service.url())).append('\n');
                }
            });
            assertThat(text).as("instances of %s among %s", name, stack.services.keySet()).isNotEmpty();
            pages.put(name, new MetricsText(text.toString()));
        }
        return pages;
    }

    private static void assertMetricsMoved(Map<String, MetricsText> before, Map<String, MetricsText> after) {
        record Moved(String service, String metric, String[] labels, double atLeast) {
        }
        List<Moved> expected = List.of(
                new Moved("planner", "apex_planner_fanout_total", new String[0], 315),
                new Moved("recorder", "apex_generations_requested_total", new String[0], 315),
                new Moved("recorder", "apex_generations_completed_total", new String[]{"status", "completed"}, 315),
                new Moved("recorder", "apex_run_cost_usd_total", new String[]{"run", "run-full"}, 0.0001),
                new Moved("dispatcher-openai", "apex_provider_calls_seconds_count",
                        new String[]{"endpoint", "batch_create", "outcome", "success"}, 1),
                new Moved("dispatcher-anthropic", "apex_provider_calls_seconds_count",
                        new String[]{"endpoint", "batch_create", "outcome", "success"}, 1),
                new Moved("poller", "apex_provider_calls_seconds_count", new String[]{"endpoint", "batch_status"}, 1),
                new Moved("recorder", "kafka_consumer_fetch_manager_records_consumed_total", new String[0], 315));
        for (Moved m : expected) {
            double moved = after.get(m.service()).sum(m.metric(), m.labels())
                    - before.get(m.service()).sum(m.metric(), m.labels());
            assertThat(moved).as("%s %s%s moved during the run; its apex_ samples now:%n%s", m.service(), m.metric(),
                    List.of(m.labels()), after.get(m.service()).samples("apex_")).isGreaterThanOrEqualTo(m.atLeast());
        }
        // the poller has seen batches open (all closed now) and every consumer reports its lag
        assertThat(after.get("poller").has("apex_batches_open")).isTrue();
        for (String service : List.of("planner", "dispatcher-openai", "dispatcher-anthropic", "recorder")) {
            assertThat(after.get(service).has("kafka_consumer_fetch_manager_records_lag_max")).as(service).isTrue();
        }
    }

    @Test
    void shouldStopALaneTheProviderRefusesAtItsVerifyRequestWhileOtherLanesGoOn() throws Exception {
        // given a lane that slipped past validation (published straight to apex.lanes, as a stale catalog might)
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
            kafka.publish(Topics.LANES.name(), new LaneRegistered("e-bad", 1, Instant.now(), "cond-bad-opus",
                    "bad.opus.t1-2.ext", 1, Providers.ANTHROPIC, "claude-opus-4.1", "claude-opus-4-1",
                    new LaneParameters(1.2, 38000, null, null, 32000), "bad", "seed lane as written"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get(planner + "/api/lanes").contains("bad.opus.t1-2.ext"));
        int before = ledger().size();

        // when it runs with verify-first next to a valid lane
        assertThat(cli("run", "--condition-slug", "bad.opus.t1-2.ext", "--condition-slug", "4o.t0-6", "--batch-mode",
                "--verify-first", "--created-by", "e2e", "--notes", "verify", "--run-id", "run-verify", "--limit", "4",
                "--wait", "--timeout", "120", "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();

        // then the bad lane ends in errors naming the provider's reason, and only the good lane reached a batch
        assertThat(rows("SELECT lane_id, status, count(*) FROM apex_audition.generations WHERE run_id = 'run-verify' "
                + "GROUP BY 1, 2 ORDER BY 1", 3)).containsExactly("4o.t0-6|completed|4", "bad.opus.t1-2.ext|error|4");
        assertThat(rows("SELECT error_message FROM apex_audition.generations WHERE run_id = 'run-verify' "
                + "AND lane_id = 'bad.opus.t1-2.ext'", 1)).allMatch(m -> m.contains("temperature") || m.contains("max_tokens"));
        assertThat(rows("SELECT count(*) FROM apex_audition.batches WHERE run_id = 'run-verify'", 1))
                .containsExactly("1");
        assertThat(ledger().size() - before).as("only the good lane's verify call and batch of 3 were billed")
                .isEqualTo(4);
    }

    @Test
    void shouldCallNoProviderInADryRun() throws Exception {
        int before = ledger().size();

        assertThat(cli("run", "--all-lanes", "--batch-mode", "--dry-run", "--limit", "2", "--created-by", "e2e",
                "--notes", "dry", "--run-id", "run-dry", "--wait", "--timeout", "120", "--planner-url", planner,
                "--bootstrap-servers", stack.kafka)).isZero();

        // each dry run names the exact body it would have sent, stored once per distinct body and joined back
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows("SELECT count(*) FROM "
                + "apex_audition.generation_requests r JOIN apex_audition.generations g ON g.id = r.generation_id "
                + "WHERE r.run_id = 'run-dry' AND g.status = 'dry_run' AND r.request_body IS NOT NULL", 1))
                .containsExactly(String.valueOf(2 * lanes())));
        // each body as the view puts it together (its shared context stored once, put back) is the one its hash names
        assertThat(rows("SELECT count(*) FROM apex_audition.generation_requests WHERE run_id = 'run-dry' AND "
                + "encode(sha256(convert_to(request_body, 'UTF8')), 'hex') = request_body_hash", 1))
                .containsExactly(String.valueOf(2 * lanes()));
        assertThat(rows("SELECT count(*) FROM apex_audition.request_bodies b JOIN apex_audition.generations g ON "
                + "g.request_body_hash = b.body_hash WHERE g.run_id = 'run-dry' AND b.text_hash IS NOT NULL", 1))
                .as("the seed's bodies hold a long house style, stored once rather than in each body")
                .containsExactly(String.valueOf(2 * lanes()));
        assertThat(ledger().size()).isEqualTo(before);
    }

    @Test
    void shouldRunReplicatesOfTheFirstPromptsOnly() throws Exception {
        assertThat(cli("run", "--condition-slug", "sonnet.t0-8.std", "--batch-mode", "--limit", "2", "--replicates",
                "3", "--created-by", "e2e", "--notes", "replicates", "--run-id", "run-replicates", "--wait",
                "--timeout", "120", "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();

        assertThat(rows("SELECT prompt_id || ':' || replicate FROM apex_audition.generations WHERE run_id = "
                + "'run-replicates' AND status = 'completed' ORDER BY 1", 1))
                .containsExactly("p01:1", "p01:2", "p01:3", "p02:1", "p02:2", "p02:3");
    }

    @Test
    void shouldCallTheSynchronousApiWithoutBatchMode() throws Exception {
        assertThat(cli("run", "--condition-slug", "gpt5.reason-min", "--condition-slug", "opus.t0-8.std", "--limit",
                "3", "--created-by", "e2e", "--notes", "sync", "--run-id", "run-sync", "--wait", "--timeout", "120",
                "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();

        assertThat(rows("SELECT mode || '|' || status || '|' || (batch_id IS NULL) FROM apex_audition.generations "
                + "WHERE run_id = 'run-sync'", 1)).hasSize(6).containsOnly("sync|completed|true");
    }

    @Test
    void shouldRejectMalformedAndInvalidCommandsAndStillRunTheNextOne() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "run-garbled", "{\"runId\": \"run-garbled\", nope");
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "run-unknown-lane",
                    "{\"runId\":\"run-unknown-lane\",\"conditionSlugs\":[\"sonnet.t1-1.ext\"],\"limit\":0}");
        }
        assertThat(cli("run", "--condition-slug", "4o.t1-0", "--batch-mode", "--limit", "1", "--created-by", "e2e",
                "--notes", "after poison", "--run-id", "run-after-poison", "--wait", "--timeout", "120",
                "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();

        assertThat(rows("SELECT id || '|' || status FROM apex_audition.runs WHERE id IN ('run-garbled', "
                + "'run-unknown-lane', 'run-after-poison') ORDER BY id", 1))
                .containsExactly("run-after-poison|completed", "run-garbled|rejected", "run-unknown-lane|rejected");
        assertThat(rows("SELECT reason FROM apex_audition.runs WHERE id = 'run-unknown-lane'", 1)).singleElement()
                .asString().contains("2 problems").contains("unknown lane 'sonnet.t1-1.ext'");
        stack.services.values().forEach(s -> assertThat(s.healthStatus("ready")).as(s.url()).isEqualTo(200));
    }

    @Test
    void shouldParkPoisonOnEveryConsumedTopicCountItAndKeepGoing() throws Exception {
        int paidBefore = ledger().size();
        String huge = "{\"runId\":\"run-huge\",\"notes\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        // given poison on every topic a service consumes
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "run-future", "{\"runId\":\"run-future\",\"schemaVersion\":99,"
                    + "\"conditionSlugs\":[\"4o.t1-0\"]}");
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "run-huge", huge);
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "run-nobody", "{\"type\":\"RetryRequested\",\"runId\":"
                    + "\"run-nobody\",\"retryId\":\"retry-x\",\"generations\":[{\"generationId\":\"g1\",\"attempt\":1,"
                    + "\"conditionId\":\"c1\",\"conditionSlug\":\"4o.t1-0\",\"promptId\":\"p01\",\"promptVersion\":1,"
                    + "\"replicate\":1}]}");
            kafka.publishRaw(Topics.GENERATION_REQUESTS_OPENAI.name(), "poison/openai", "{not json");
            kafka.publishRaw(Topics.GENERATION_REQUESTS_ANTHROPIC.name(), "poison/anthropic", "y".repeat(6 * 1024 * 1024));
            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), forgedRequest());
            kafka.publishRaw(Topics.BATCHES.name(), "poison-batch", "{\"type\":\"BatchSubmitted\", oops");
            kafka.publishRaw(Topics.GENERATION_RESULTS.name(), "poison/result", "{\"type\":\"NoSuchEvent\"}");

            // then each consumer parks what it cannot take, with the reason, in apex.dead-letters
            List<DeadLettered> parked = kafka.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.sourceKey() != null && List.of("run-future", "run-huge", "run-nobody", "poison/openai",
                            "poison/anthropic", "run-forged/4o.t1-0", "poison-batch").contains(d.sourceKey()), 7,
                    Duration.ofSeconds(180));
            assertThat(parked).extracting(d -> d.consumer() + " " + d.sourceKey())
                    .as("what the consumers logged about parking: %s", new LogLines(stack, "parked", "skipped",
                            "stopped reading", "Kafka"))
                    .contains(
                    "planner-service run-future", "planner-service run-huge", "planner-service run-nobody",
                    "dispatcher-openai poison/openai", "dispatcher-anthropic poison/anthropic",
                    "dispatcher-openai run-forged/4o.t1-0", "poller-service poison-batch");
            assertThat(parked).allSatisfy(d -> assertThat(d.payload().length()).isLessThan(2_000));
            assertThat(parked).filteredOn(d -> d.sourceKey().equals("run-future")).first()
                    .extracting(DeadLettered::reason).asString().contains("newer than this service understands");
            assertThat(parked).filteredOn(d -> d.sourceKey().equals("run-nobody")).first()
                    .extracting(DeadLettered::reason).asString().contains("never planned");
            assertThat(parked).filteredOn(d -> d.sourceKey().equals("run-forged/4o.t1-0")).first()
                    .extracting(DeadLettered::reason).asString().contains("never accepted");
        }

        // and the recorder parks the result it cannot read, and counts everything parked where monitors look
        await().atMost(Duration.ofSeconds(60)).until(() -> !rows("SELECT reason FROM apex_audition.dead_letters "
                + "WHERE consumer = 'recorder-service' AND source_key = 'poison/result'", 1).isEmpty());
        JsonNode wellness = EventJson.mapper().readTree(get(stack.services.get("recorder").url() + "/q/health/well"));
        JsonNode counts = wellness.path("checks").get(0).path("data");
        assertThat(counts.path("planner-service").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(counts.path("poller-service").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("total").asInt()).isGreaterThanOrEqualTo(8);

        // and nothing was paid for, and every service is still ready for the next run
        assertThat(ledger().size()).isEqualTo(paidBefore);
        stack.services.values().forEach(svc -> assertThat(svc.healthStatus("ready")).as(svc.url()).isEqualTo(200));
        assertThat(cli("run", "--condition-slug", "sonnet.t0-8.std", "--dry-run", "--limit", "1", "--created-by", "e2e",
                "--notes", "after poison everywhere", "--run-id", "run-after-poison-everywhere", "--wait", "--timeout",
                "120", "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();
        assertThat(cli("report", "run-after-poison-everywhere")).isZero();
    }

    @Test
    void shouldPrintTheDemosReportWithARowForEveryLane() throws Exception {
        // given the demo's own steps on the running stack, one prompt per lane
        System.setProperty("APEX_ROOT", "..");
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            // when the demo runs to its report
            exit = cli("demo", "--limit", "1", "--no-judge", "--timeout", "180", "--planner-url", planner);
        } finally {
            System.setOut(original);
        }

        // then the report right after the wait already has the 15 lanes, each with its generation recorded
        String output = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        String report = output.substring(output.indexOf("== 4/6 report"));
        List<String> laneRows = report.lines().filter(l -> l.matches("^\\s*(gpt5|o3|4o|sonnet|opus)\\.\\S+\\s.*"))
                .toList();
        assertThat(laneRows).as(report).hasSize(15);
        assertThat(report).contains("/run.html?run=demo-");
    }

    /** A request published straight to a dispatcher's topic, for a run the planner never accepted: never paid. */
    private static GenerationRequested forgedRequest() {
        String id = EventIds.generationId("run-forged", "4o.t1-0", "p01", 1);
        return new GenerationRequested("e-" + id, 1, Instant.now(), "run-forged", id, 1, "cond-4o", "4o.t1-0",
                Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(1.0, null, 1000, null, null), "p01", 1,
                "Write a sonnet about tides", "House style", 1, io.apexaudition.events.RunMode.BATCH, false, false, true,
                1);
    }

    private Set<String> fullRunBatches() throws Exception {
        return new HashSet<>(rows("SELECT id FROM apex_audition.batches WHERE run_id = 'run-full'", 1));
    }

    @Test
    void shouldResubmitOnlyExpiredRequestsAsANewAttemptWithApexRetry() throws Exception {
        // given a batch that expires with half of its requests done
        stack.configureSimulator("{\"faults\":{\"batch-expire\":1.0,\"batch-expire-completed-fraction\":0.5}}");
        try {
            assertThat(cli("run", "--condition-slug", "4o.t0-8", "--batch-mode", "--limit", "4", "--created-by", "e2e",
                    "--notes", "expiry", "--run-id", "run-expire", "--wait", "--timeout", "120", "--planner-url",
                    planner, "--bootstrap-servers", stack.kafka)).isZero();
        } finally {
            stack.configureSimulator("{\"faults\":{\"batch-expire\":0.0}}");
        }
        List<String> expired = rows("SELECT id FROM apex_audition.generations WHERE run_id = 'run-expire' "
                + "AND error_kind = 'expired'", 1);
        assertThat(expired).isNotEmpty().hasSizeLessThan(4);

        // when they are retried
        assertThat(cli("retry", "run-expire", "--wait", "--timeout", "120", "--bootstrap-servers", stack.kafka)).isZero();

        // then only they were sent again, in a new batch, and every attempt is on record
        assertThat(rows("SELECT status FROM apex_audition.generations WHERE run_id = 'run-expire'", 1))
                .hasSize(4).containsOnly("completed");
        assertThat(rows("SELECT id FROM apex_audition.generations WHERE run_id = 'run-expire' AND attempt = 2 "
                + "ORDER BY id", 1)).containsExactlyInAnyOrderElementsOf(expired);
        assertThat(rows("SELECT count(*) FROM apex_audition.batches WHERE run_id = 'run-expire'", 1)).containsExactly("2");
        assertThat(rows("SELECT count(*) FROM apex_audition.generation_attempts WHERE run_id = 'run-expire'", 1))
                .containsExactly(String.valueOf(4 + expired.size()));
        assertThat(cli("retry", "run-expire", "--bootstrap-servers", stack.kafka)).as("nothing left to retry").isZero();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldRebuildEveryTableIdenticallyInPlaceAndIntoAFreshDatabase() throws Exception {
        // given tables the live recorder has stopped changing (the earlier tests' last events may still be arriving)
        var settled = new java.util.concurrent.atomic.AtomicReference<>(digests(stack.db));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            Map<String, String> now = digests(stack.db);
            return now.equals(settled.getAndSet(now));
        });
        Map<String, java.util.Set<String>> rowsBefore = rowsOfEveryTable(stack.db);
        Map<String, String> before = digests(stack.db);

        assertThat(cli("rebuild", "--recorder-url", stack.services.get("recorder").url())).isZero();

        assertThat(rowsOfEveryTable(stack.db)).as("rows that differ after the rebuild (-before +after): %s",
                new LazyDiff(rowsBefore, () -> rowsOfEveryTable(stack.db))).isEqualTo(rowsBefore);
        assertThat(digests(stack.db)).isEqualTo(before);
        assertThat(before.get("generations")).isNotEqualTo(digestOfNothing());
        io.apexaudition.testsupport.Database fresh = io.apexaudition.testsupport.PostgresInfra.freshDatabase();
        Map<String, String> env = new java.util.HashMap<>(Map.of("APEX_DB_URL", fresh.jdbcUrl(), "APEX_DB_USER",
                fresh.username(), "APEX_DB_PASSWORD", fresh.password() == null ? "" : fresh.password(),
                "APEX_RECORDER_GROUP", "apex-recorder-fresh"));
        stack.start("recorder-fresh", "recorder-service", env).awaitReady(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(digests(fresh)).isEqualTo(before));
    }

    static final List<String> TABLES = List.of("runs", "conditions", "prompts", "batches", "generations",
            "dead_letters", "dispatch_intents", "generation_attempts", "verdicts", "judgments");

    /** An md5 of every row of every projected table, in a stable order. */
    private static Map<String, String> digests(io.apexaudition.testsupport.Database db) throws Exception {
        Map<String, String> digests = new java.util.TreeMap<>();
        try (var c = db.connect(); var s = c.createStatement()) {
            for (String table : TABLES) {
                try (var rs = s.executeQuery("SELECT count(*) || ':' || COALESCE(md5(string_agg(t::text, '|' "
                        + "ORDER BY t::text)), '') FROM apex_audition." + table + " t")) {
                    rs.next();
                    digests.put(table, rs.getString(1));
                }
            }
        }
        return digests;
    }

    /** The lines of every service's log that contain any of some words, read only when a failure is printed. */
    private record LogLines(Stack stack, String... words) {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            stack.services.forEach((name, service) -> {
                try (var lines = java.nio.file.Files.lines(service.log())) {
                    lines.filter(l -> java.util.Arrays.stream(words).anyMatch(l::contains))
                            .forEach(l -> out.append("\n").append(name).append(": ")
                                    .append(l, 0, Math.min(l.length(), 400)));
                } catch (Exception e) {
                    out.append("\n").append(name).append(": (log unreadable: ").append(e).append(')');
                }
            });
            return out.toString();
        }
    }

    /** Every row of every projected table as text, to name the rows a failed comparison is about. */
    private static Map<String, java.util.Set<String>> rowsOfEveryTable(io.apexaudition.testsupport.Database db)
            throws Exception {
        Map<String, java.util.Set<String>> rows = new java.util.TreeMap<>();
        try (var c = db.connect(); var s = c.createStatement()) {
            for (String table : TABLES) {
                java.util.Set<String> set = new java.util.TreeSet<>();
                try (var rs = s.executeQuery("SELECT t::text FROM apex_audition." + table + " t")) {
                    while (rs.next()) {
                        set.add(rs.getString(1));
                    }
                }
                rows.put(table, set);
            }
        }
        return rows;
    }

    /** The rows only before (-) and only after (+) per table, worked out only when a failure is printed. */
    private record LazyDiff(Map<String, java.util.Set<String>> before,
                            java.util.concurrent.Callable<Map<String, java.util.Set<String>>> after) {
        @Override
        public String toString() {
            try {
                Map<String, java.util.Set<String>> now = after.call();
                StringBuilder out = new StringBuilder();
                for (String table : before.keySet()) {
                    before.get(table).stream().filter(r -> !now.get(table).contains(r))
                            .forEach(r -> out.append("\n- ").append(table).append(' ').append(r));
                    now.get(table).stream().filter(r -> !before.get(table).contains(r))
                            .forEach(r -> out.append("\n+ ").append(table).append(' ').append(r));
                }
                return out.toString();
            } catch (Exception e) {
                return "(could not read the rows again: " + e + ")";
            }
        }
    }

    private static String digestOfNothing() {
        return "0:";
    }

    private int lanes() throws Exception {
        return EventJson.mapper().readTree(get(planner + "/api/lanes")).size();
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode ledger() throws Exception {
        return stack.sim("/_sim/ledger");
    }

    private List<String> rows(String sql, int columns) throws Exception {
        return rows(stack, sql, columns);
    }

    /** The rows a query answers on the stack's database, each row's first {@code columns} columns joined by '|'. */
    static List<String> rows(Stack stack, String sql, int columns) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = stack.db.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    cells.add(rs.getString(i));
                }
                rows.add(String.join("|", cells));
            }
        }
        return rows;
    }

    static int cli(String... args) {
        return Stack.cli(args);
    }
}
