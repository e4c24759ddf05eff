package io.apexaudition.cli.bench;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.events.Usage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import io.apexaudition.messaging.KafkaSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The machine's raw limits for the project's own payload: GenerationCompleted events of the real size and shape
 * (a real request body with the shared context, an output of the chosen size) produced through the broker with
 * the services' producer settings and consumed back read_committed; and generation rows copied into a scratch
 * copy of {@code apex_audition.generations} with COPY.
 */
final class RawLimits {
    /** Records per transaction: a provider batch's results are committed in one transaction too. */
    static final int TRANSACTION_RECORDS = 1000;
    private static final int DISTINCT_PAYLOADS = 64;

    record KafkaFigures(long events, long bytes, long produceMillis, long consumeMillis) {
    }

    record CopyFigures(long rows, long bytes, long millis) {
    }

    private RawLimits() {
    }

    /**
     * A GenerationCompleted exactly as the poller writes it, with an output of about {@code outputChars}: its body
     * named by hash, as every result names it (the body itself is a RequestBodyStored, once per distinct body).
     */
    static GenerationCompleted sampleResult(int i, int outputChars, String sharedContext) {
        String runId = "bench-raw";
        String slug = "bench.gpt-4o.0" + (i % 10);
        String promptId = BenchWorkload.promptId(i % 2000 + 1);
        String generationId = EventIds.generationId(runId, slug, promptId, 1);
        String body = RequestBodies.json(RequestBodies.body(Providers.OPENAI, "gpt-4o",
                new LaneParameters(0.8, 6000, null, null, null, null),
                BenchWorkload.prompts(1, sharedContext).get(0).text(), sharedContext, true));
        GenerationCompleted.Subject subject = new GenerationCompleted.Subject(runId, generationId, 1, "cond-" + slug,
                slug, promptId, 1, Providers.OPENAI, "gpt-4o", RunMode.BATCH, "batch_" + i,
                EventIds.customId(generationId, 1), RequestBodyStored.hashOf(body));
        return GenerationCompleted.of(subject, Instant.now(), GenerationStatus.COMPLETED, text(outputChars, i), "stop",
                new Usage(2400, 2048, 0, outputChars / 4, 0), true, new BigDecimal("0.012345"), null, null);
    }

    static String text(int chars, int seed) {
        String words = "the ferry rope tide lamp harbour night coil salt shore gull deck light wind bell ";
        StringBuilder b = new StringBuilder(chars + 16);
        int k = seed;
        while (b.length() < chars) {
            int start = Math.floorMod(k * 7, words.length() - 20);
            b.append(words, start, start + 12);
            k++;
        }
        b.setLength(chars);
        return b.toString();
    }

    static KafkaFigures kafka(String servers, long events, int outputChars, String sharedContext,
                              Consumer<String> progress) throws Exception {
        String topic = "apex.bench.raw-" + System.currentTimeMillis();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < DISTINCT_PAYLOADS; i++) {
            values.add(EventJson.write(sampleResult(i, outputChars, sharedContext)).getBytes(StandardCharsets.UTF_8));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(topic, Topics.DEFAULT_PARTITIONS, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES)))))
                    .all().get(30, TimeUnit.SECONDS);
            try {
                long bytes = 0;
                long start = System.nanoTime();
                // the services' own producer settings: the raw figure is what they could reach
                Map<String, Object> settings = KafkaSettings.transactionalProducer(servers, "apex-bench-raw-" + topic);
                settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
                    producer.initTransactions();
                    start = System.nanoTime();
                    for (long i = 0; i < events; i++) {
                        if (i % TRANSACTION_RECORDS == 0) {
                            if (i > 0) {
                                producer.commitTransaction();
                            }
                            producer.beginTransaction();
                        }
                        byte[] value = values.get((int) (i % DISTINCT_PAYLOADS));
                        bytes += value.length;
                        producer.send(new ProducerRecord<>(topic, ("bench-raw/lane-" + (i % 50)).getBytes(
                                StandardCharsets.UTF_8), value));
                        if (i % 20_000 == 0 && i > 0) {
                            progress.accept("produced " + i + " of " + events);
                        }
                    }
                    producer.commitTransaction();
                }
                long produceMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                long consumeMillis = consume(servers, topic, events, progress);
                return new KafkaFigures(events, bytes, produceMillis, consumeMillis);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long consume(String servers, String topic, long events, Consumer<String> progress) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES + 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long seen = 0;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            while (seen < events && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                }
            }
            if (seen < events) {
                throw new IllegalStateException("read back only " + seen + " of " + events + " events from " + topic);
            }
            return Duration.ofNanos(System.nanoTime() - start).toMillis();
        }
    }

    /** COPYs {@code rows} generation rows into a scratch copy of apex_audition.generations (indexes included). */
    static CopyFigures copy(Connection c, long rows, int outputChars, String sharedContext,
                            Consumer<String> progress) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS apex_bench");
            s.execute("DROP TABLE IF EXISTS apex_bench.generations_copy");
            s.execute("CREATE TABLE apex_bench.generations_copy (LIKE apex_audition.generations INCLUDING ALL)");
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < DISTINCT_PAYLOADS; i++) {
            lines.add(csvLine(sampleResult(i, outputChars, sharedContext)));
        }
        long bytes = 0;
        long start = System.nanoTime();
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                COPY apex_bench.generations_copy (id, run_id, condition_id, lane_id, prompt_id, prompt_version,
                    replicate, attempt, provider, model, mode, batch_id, custom_id, status, output_text, finish_reason,
                    input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cache_hit,
                    cost_usd, request_body_hash, requested_at, completed_at, updated_at) FROM STDIN (FORMAT csv)""");
        try {
            StringBuilder chunk = new StringBuilder(1 << 20);
            for (long i = 0; i < rows; i++) {
                chunk.append('g').append(i).append(lines.get((int) (i % DISTINCT_PAYLOADS)));
                if (chunk.length() > (1 << 20) || i == rows - 1) {
                    byte[] b = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(b, 0, b.length);
                    bytes += b.length;
                    chunk.setLength(0);
                }
                if (i % 20_000 == 0 && i > 0) {
                    progress.accept("copied " + i + " of " + rows);
                }
            }
            long copied = copy.endCopy();
            if (copied != rows) {
                throw new IllegalStateException("COPY wrote " + copied + " rows, not " + rows);
            }
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE apex_bench.generations_copy");
        }
        return new CopyFigures(rows, bytes, millis);
    }

    /** Every column after the id (which the caller prefixes), CSV-quoted, ending in a newline. */
    private static String csvLine(GenerationCompleted e) {
        Object[] cells = {e.runId(), e.conditionId(), e.conditionSlug(), e.promptId(), e.promptVersion(), 1,
                e.attempt(), e.provider(), e.model(), "batch", e.batchId(), e.customId(), "completed", e.outputText(),
                e.finishReason(), e.usage().inputTokens(), e.usage().cachedInputTokens(), e.usage().cacheWriteTokens(),
                e.usage().outputTokens(), e.usage().reasoningTokens(), e.cacheHit(), e.costUsd(), e.requestBodyHash(),
                e.occurredAt(), e.occurredAt(), e.occurredAt()};
        StringBuilder b = new StringBuilder();
        for (Object cell : cells) {
            String v = String.valueOf(cell);
            b.append(',').append('"').append(v.replace("\"", "\"\"")).append('"');
        }
        return b.append('\n').toString();
    }
}
