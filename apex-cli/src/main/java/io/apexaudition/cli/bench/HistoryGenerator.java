package io.apexaudition.cli.bench;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.TopicSpec;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the history a long-lived stack leaves behind, straight onto the topics the dispatchers and the poller
 * rebuild their state from, as fast as the broker takes it: runs of {@code lanesPerRun} lanes x
 * {@code laneRequests} prompts, their {@code RunAccepted} and {@code RunCompleted} on {@code apex.runs}; per batch
 * lane, chunked as the dispatcher chunks (a {@code BatchSubmitted} must fit in one record; its entries name their
 * bodies by hash, so a lane of thousands fits in one),
 * a {@code DispatchIntended}, its {@code BatchSubmitted} and a terminal {@code BatchStatusChanged}; every
 * {@code syncEvery}-th run synchronous, one {@code DispatchIntended} and its {@code DispatchSettled} per request.
 * Everything is seen through: no intent in doubt, no batch open. {@code apex.generation-requests.*} and
 * {@code apex.generation-results} are left out: the dispatcher reads the first through a consumer group whose
 * offsets a real history has committed to the end, and neither service reads the second. Of this history the
 * dispatcher reads only {@code apex.runs}: its state is {@code apex.dispatch-state.<provider>} (bounded by what is
 * open), and a partition without state is derived once from {@code apex.batches} only for the lane groups whose
 * requests lie above its offset (none here, as in a stack that is up to date).
 */
final class HistoryGenerator {
    /** The models of the lanes, round-robin: three OpenAI, two Anthropic, as the bench's own lanes. */
    private static final String[][] MODELS = {
            {Providers.OPENAI, "gpt-4o"}, {Providers.OPENAI, "gpt-5"}, {Providers.OPENAI, "o3"},
            {Providers.ANTHROPIC, "claude-sonnet-4-5"}, {Providers.ANTHROPIC, "claude-opus-4-1"}};
    /** What the dispatcher leaves for a BatchSubmitted: the record limit minus headroom, as LaneDispatcher. */
    static final long MAX_SUBMITTED_EVENT_BYTES = Topics.MAX_MESSAGE_BYTES - 512 * 1024;

    /** What to write: {@code generations} must be a multiple of {@code laneRequests}. */
    record Shape(long generations, int laneRequests, int lanesPerRun, int syncEvery, boolean bodies) {
        Shape {
            if (laneRequests < 1 || generations < laneRequests || generations % laneRequests != 0) {
                throw new IllegalArgumentException("history generations (" + generations + ") must be a positive "
                        + "multiple of the lane size (" + laneRequests + ")");
            }
        }

        /**
         * The bench's own audition, repeated: runs of 50 lanes x 2,000 prompts (100,000 generations), one run in
         * ten synchronous.
         */
        static Shape of(long generations, boolean bodies) {
            return new Shape(generations, 2_000, 50, 10, bodies);
        }

        long lanes() {
            return generations / laneRequests;
        }
    }

    /** What was written. */
    record Summary(int runs, long lanes, long generations, long batches, long syncIntents, long records, long bytes,
                   long millis) {
    }

    private final Shape shape;
    private final String sharedContext;
    private final Consumer<String> progress;
    /**
     * Per provider, the hash of each prompt's body (the body, ~10 KB with the shared context, lives in
     * apex.request-bodies, which neither the dispatcher nor the poller reads back, so it is not written here).
     */
    private final Map<String, List<String>> bodies;
    private final int chunkSize;
    private long records;
    private long bytes;
    private long batches;
    private long syncIntents;

    HistoryGenerator(Shape shape, String sharedContext, Consumer<String> progress) {
        this.shape = shape;
        this.sharedContext = sharedContext;
        this.progress = progress;
        this.bodies = shape.bodies()
                ? Map.of(Providers.OPENAI, bodies(Providers.OPENAI), Providers.ANTHROPIC, bodies(Providers.ANTHROPIC))
                : Map.of();
        this.chunkSize = chunkSize();
    }

    private List<String> bodies(String provider) {
        List<String> out = new ArrayList<>(shape.laneRequests());
        BenchWorkload.prompts(shape.laneRequests(), sharedContext).forEach(p -> out.add(RequestBodyStored.hashOf(
                RequestBodies.json(RequestBodies.body(provider, provider.equals(Providers.OPENAI) ? "gpt-4o"
                        : "claude-sonnet-4-5", new LaneParameters(0.8, 6000, null, null, null, null), p.text(),
                        sharedContext, true)))));
        return out;
    }

    /** Requests per batch: the whole lane, or as many entries (ids and body hash) as fit in one BatchSubmitted. */
    private int chunkSize() {
        if (!shape.bodies()) {
            return shape.laneRequests();
        }
        long largest = 0;
        for (List<String> list : bodies.values()) {
            for (int i = 0; i < list.size(); i++) {
                BatchEntry e = new BatchEntry(EventIds.customId(EventIds.newEventId(), 1), EventIds.newEventId(), 1,
                        "cond-x", "hist.claude-sonnet-4-5.00", BenchWorkload.promptId(i + 1), 1, list.get(i));
                largest = Math.max(largest, EventJson.mapper().valueToTree(e).toString().length() + 1L);
            }
        }
        return (int) Math.max(1, Math.min(shape.laneRequests(), (MAX_SUBMITTED_EVENT_BYTES - 4096) / largest));
    }

    Summary write(String servers) {
        long start = System.currentTimeMillis();
        int runs = (int) ((shape.lanes() + shape.lanesPerRun() - 1) / shape.lanesPerRun());
        long lanesLeft = shape.lanes();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(servers))) {
            producer.initTransactions();
            for (int run = 0; run < runs; run++) {
                int lanes = (int) Math.min(shape.lanesPerRun(), lanesLeft);
                lanesLeft -= lanes;
                boolean sync = shape.syncEvery() > 0 && run % shape.syncEvery() == shape.syncEvery() - 1;
                writeRun(producer, run, lanes, sync);
                progress.accept(String.format(java.util.Locale.ROOT, "history: run %d of %d (%s) written, %,d records, "
                        + "%.0f MB so far", run + 1, runs, sync ? "synchronous" : "batch", records, bytes / 1e6));
            }
        }
        return new Summary(runs, shape.lanes(), shape.generations(), batches, syncIntents, records, bytes,
                System.currentTimeMillis() - start);
    }

    private void writeRun(KafkaProducer<String, byte[]> producer, int run, int lanes, boolean sync) {
        String runId = "history-" + run;
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * run);
        List<PlannedLane> planned = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            String[] model = MODELS[l % MODELS.length];
            planned.add(new PlannedLane("cond-" + slug(l), slug(l), model[0], model[1], shape.laneRequests()));
        }
        List<String> promptIds = new ArrayList<>();
        for (int p = 0; p < shape.laneRequests(); p++) {
            promptIds.add(BenchWorkload.promptId(p + 1));
        }
        int expected = lanes * shape.laneRequests();
        transaction(producer, List.of(new RunAccepted(EventIds.nameUuid("RunAccepted", runId),
                RunAccepted.SCHEMA_VERSION, at, runId, sync ? RunMode.SYNC : RunMode.BATCH, false, false, true, null, 1,
                "apex bench", "generated history", planned, promptIds, expected)));
        for (PlannedLane lane : planned) {
            transaction(producer, sync ? syncLane(runId, lane, promptIds, at) : batchLane(runId, lane, promptIds, at));
        }
        transaction(producer, List.of(new RunCompleted(EventIds.nameUuid("RunCompleted", runId),
                RunCompleted.SCHEMA_VERSION, at.plusSeconds(1800), runId, expected, expected, 0, 0,
                new BigDecimal("12.34"))));
    }

    private List<ApexEvent> batchLane(String runId, PlannedLane lane, List<String> promptIds, Instant at) {
        List<ApexEvent> events = new ArrayList<>();
        for (int from = 0, chunk = 0; from < promptIds.size(); from += chunkSize, chunk++) {
            List<String> customIds = new ArrayList<>();
            List<BatchEntry> entries = new ArrayList<>();
            for (int p = from; p < Math.min(promptIds.size(), from + chunkSize); p++) {
                String generationId = EventIds.generationId(runId, lane.slug(), promptIds.get(p), 1);
                String customId = EventIds.customId(generationId, 1);
                customIds.add(customId);
                entries.add(new BatchEntry(customId, generationId, 1, lane.conditionId(), lane.slug(), promptIds.get(p),
                        1, shape.bodies() ? bodies.get(lane.provider()).get(p) : null));
            }
            String intentId = "intent-" + EventIds.nameUuid("batch", runId, lane.slug(), "1", Integer.toString(chunk));
            String batchId = (lane.provider().equals(Providers.OPENAI) ? "batch_" : "msgbatch_")
                    + EventIds.nameUuid("history", intentId).replace("-", "");
            events.add(new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId),
                    DispatchIntended.SCHEMA_VERSION, at, intentId, lane.provider(), runId, lane.slug(), lane.model(),
                    DispatchIntended.Kind.BATCH, chunk, customIds));
            events.add(new BatchSubmitted(EventIds.nameUuid("BatchSubmitted", batchId), BatchSubmitted.SCHEMA_VERSION,
                    at.plusSeconds(1), batchId, lane.provider(), runId, lane.model(), intentId, "file-" + batchId,
                    entries));
            String status = lane.provider().equals(Providers.OPENAI) ? "completed" : "ended";
            events.add(new BatchStatusChanged(EventIds.nameUuid("BatchStatusChanged", batchId, status),
                    BatchStatusChanged.SCHEMA_VERSION, at.plusSeconds(600), batchId, lane.provider(), runId, status,
                    true, Map.of("total", customIds.size(), "completed", customIds.size(), "failed", 0), null));
            batches++;
        }
        return events;
    }

    private List<ApexEvent> syncLane(String runId, PlannedLane lane, List<String> promptIds, Instant at) {
        List<ApexEvent> events = new ArrayList<>();
        for (String promptId : promptIds) {
            String customId = EventIds.customId(EventIds.generationId(runId, lane.slug(), promptId, 1), 1);
            String intentId = "intent-" + EventIds.nameUuid(DispatchIntended.Kind.SYNC.name(), customId);
            events.add(new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId),
                    DispatchIntended.SCHEMA_VERSION, at, intentId, lane.provider(), runId, lane.slug(), lane.model(),
                    DispatchIntended.Kind.SYNC, 0, List.of(customId)));
            events.add(new DispatchSettled(EventIds.nameUuid("DispatchSettled", intentId),
                    DispatchSettled.SCHEMA_VERSION, at.plusSeconds(20), intentId, lane.provider(), runId, true, null));
            syncIntents++;
        }
        return events;
    }

    /** One lane (or one run event) per transaction, as the services commit theirs: read_committed readers see it. */
    private void transaction(KafkaProducer<String, byte[]> producer, List<ApexEvent> events) {
        producer.beginTransaction();
        for (ApexEvent e : events) {
            byte[] value = EventJson.writeBytes(e);
            producer.send(new ProducerRecord<>(topicOf(e).name(), e.key(), value));
            records++;
            bytes += value.length;
        }
        producer.commitTransaction();
    }

    static TopicSpec topicOf(ApexEvent e) {
        return e instanceof BatchStatusChanged ? Topics.BATCH_STATUS
                : e instanceof RunAccepted || e instanceof RunCompleted ? Topics.RUNS : Topics.BATCHES;
    }

    private static String slug(int lane) {
        return "hist." + MODELS[lane % MODELS.length][1] + "." + String.format(java.util.Locale.ROOT, "%02d", lane);
    }

    /** The services' own producer settings (KafkaSettings): acks=all, idempotent, transactional, lz4. */
    private static Map<String, Object> producerConfig(String servers) {
        Map<String, Object> settings = KafkaSettings.transactionalProducer(servers, "apex-bench-history");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings;
    }
}
