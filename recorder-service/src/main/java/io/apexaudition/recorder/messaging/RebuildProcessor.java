package io.apexaudition.recorder.messaging;

import io.apexaudition.recorder.RecorderConfig;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.recorder.persistence.RebuildFold;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rebuilds every table from the topics: empties the tables, notes where each topic ends, and replays every
 * committed event from the first offset up to there, slice by slice (one poll, at most 500 records and 4 MB
 * fetched), through the same projection the live consumer uses. Each slice is one transaction whose generation
 * rows are COPYed into staging tables ({@link ProjectionRepository#replay}); once every slice is stored, the
 * generations are folded, each into its one row by the live upserts' own clauses, and written once
 * ({@link RebuildFold}): the same tables as the live path, with one row version per generation instead of one per
 * event. The live consumer keeps running meanwhile: an event it wrote before the tables were emptied lies below the
 * noted ends and is replayed; one it writes afterwards stays (the fold applies the upserts to a generation it finds
 * written); and no status moves backwards, so both orders converge on the same rows. A rebuild only writes the
 * projection: it publishes nothing and calls no provider, so nothing is paid for again.
 */
@ApplicationScoped
public class RebuildProcessor {
    private static final Logger LOG = Logger.getLogger(RebuildProcessor.class);

    private final RecordingProcessor recorder;
    private final ProjectionRepository repository;
    private final RecorderConfig config;

    public RebuildProcessor(RecordingProcessor recorder, ProjectionRepository repository, RecorderConfig config) {
        this.recorder = recorder;
        this.repository = repository;
        this.config = config;
    }

    /** What a rebuild did. */
    public record Report(long events, long millis) {
    }

    public synchronized Report rebuild() throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long events = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                // compressed bytes: what one poll decompresses must stay well inside the heap (see the live consumer)
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : config.topics()) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            // empty first, then note the ends: whatever the live consumer wrote before the truncate is below the
            // ends and so replayed; whatever it writes after lands in the emptied tables and stays
            repository.truncateAll();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            LOG.infof("Rebuilding apex_audition from %d partitions", partitions.size());
            // one slice is stored while the next is fetched and parsed: the database and this thread take turns
            // less, and slices are still stored one at a time, in the order they were read
            ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "rebuild-writer"));
            try (RebuildFold fold = repository.startFold()) {
                Future<?> storing = CompletableFuture.completedFuture(null);
                while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                            batch.add(r);
                        }
                    }
                    if (!batch.isEmpty()) {
                        // a slice of at most a few thousand events (a lane group's record is many), so that one
                        // slice is held while the previous one is stored, not a whole poll's
                        for (RecordingProcessor.Parsed parsed : recorder.slices(batch)) {
                            events += parsed.size();
                            awaitStored(storing);
                            storing = writer.submit(() -> {
                                recorder.replay(parsed, fold);
                                return null;
                            });
                        }
                    }
                }
                awaitStored(storing);
                long folding = System.nanoTime();
                finish(fold);
                LOG.infof("Folded and wrote the rebuilt generations in %d ms",
                        Duration.ofNanos(System.nanoTime() - folding).toMillis());
            } finally {
                writer.shutdownNow();
            }
        }
        Report report = new Report(events, Duration.ofNanos(System.nanoTime() - start).toMillis());
        LOG.infof("Rebuilt apex_audition from %d events in %d ms", report.events(), report.millis());
        return report;
    }

    /**
     * Writes the fold, retrying while Postgres is down as a slice does: a failed attempt wrote nothing, and until one
     * succeeds {@code generations} holds only what the live consumer wrote since the rebuild began.
     */
    private static void finish(RebuildFold fold) throws InterruptedException {
        long backoff = 200;
        for (int failures = 1; ; failures++) {
            try {
                fold.finish();
                return;
            } catch (SQLException e) {
                LOG.warnf("Postgres did not take the rebuild's generations (%s, SQLState %s; failure %d); retrying in "
                                + "%d ms. Check that the database is up and APEX_DB_URL points at it.", e.getMessage(),
                        e.getSQLState(), failures, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private static void awaitStored(Future<?> storing) throws SQLException, InterruptedException {
        try {
            storing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("storing a slice of the rebuild failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
