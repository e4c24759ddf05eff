package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.recorder.health.RecordingProgress;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.testsupport.Database;
import io.apexaudition.testsupport.HostileRecords;
import io.apexaudition.testsupport.PostgresInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a consumed batch holds, the recorder stores or parks every record of it, in bounded time, and the
 * event behind them is recorded: against a real Postgres with the real schema.
 */
class RecordingPropertyTest {
    private static final List<Class<? extends ApexEvent>> KINDS = List.of(io.apexaudition.events.RunAccepted.class,
            io.apexaudition.events.RunRejected.class, io.apexaudition.events.LaneRegistered.class,
            io.apexaudition.events.PromptIngested.class, GenerationRequested.class,
            io.apexaudition.events.DispatchIntended.class, io.apexaudition.events.BatchSubmitted.class,
            io.apexaudition.events.DispatchSettled.class, io.apexaudition.events.BatchStatusChanged.class,
            io.apexaudition.events.GenerationCompleted.class, io.apexaudition.events.RunCompleted.class,
            io.apexaudition.events.DeadLettered.class, io.apexaudition.events.VerdictRecorded.class);
    private static final AtomicLong OFFSET = new AtomicLong();
    private static PGSimpleDataSource dataSource;
    private static ExecutorService writer;

    @BeforeContainer
    static void migrate() {
        Database db = PostgresInfra.freshDatabase();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(db.username());
        dataSource.setPassword(db.password() == null ? "" : db.password());
        Flyway.configure().dataSource(dataSource).schemas("apex_audition").createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        writer = Executors.newSingleThreadExecutor();
    }

    @AfterContainer
    static void stop() {
        writer.shutdownNow();
    }

    @Provide
    Arbitrary<List<byte[]>> batches() {
        @SuppressWarnings("unchecked")
        Class<? extends ApexEvent>[] kinds = KINDS.toArray(new Class[0]);
        return HostileRecords.values(kinds).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 150, seed = "20261201")
    void shouldStoreOrParkEveryRecordOfABatchAndRecordTheEventBehindThem(@ForAll("batches") List<byte[]> values)
            throws Exception {
        // given a consumed batch of arbitrary records, followed by a valid request
        RecordingProcessor processor = new RecordingProcessor(new ProjectionRepository(dataSource),
                new RecordingProgress(), new RecorderMetrics(new SimpleMeterRegistry()));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (byte[] value : values) {
            records.add(new ConsumerRecord<>(Topics.GENERATION_RESULTS.name(), 0, OFFSET.incrementAndGet(), "k",
                    value));
        }
        GenerationRequested marker = marker("run-prop-" + OFFSET.incrementAndGet());
        records.add(new ConsumerRecord<>(Topics.GENERATION_REQUESTS_OPENAI.name(), 0, OFFSET.get(), marker.key(),
                EventJson.writeBytes(marker)));

        // when the recorder writes it (bounded: a record retried forever would never return)
        writer.submit(() -> {
            processor.write(records);
            return null;
        }).get(60, TimeUnit.SECONDS);

        // then every unreadable record is parked at its position, and the request behind them is recorded
        for (ConsumerRecord<String, byte[]> r : records) {
            boolean readable;
            try {
                EventJson.read(r.value(), java.util.Set.of());
                readable = true;
            } catch (EventJson.UnreadableEventException e) {
                readable = false;
            }
            if (!readable) {
                assertThat(count("SELECT count(*) FROM apex_audition.dead_letters WHERE id = '" + r.topic() + "-"
                        + r.partition() + "-" + r.offset() + "'")).as("parked record at offset %d", r.offset())
                        .isEqualTo(1);
            }
        }
        assertThat(count("SELECT count(*) FROM apex_audition.generations WHERE id = '" + marker.generationId()
                + "'")).isEqualTo(1);
    }

    private static GenerationRequested marker(String runId) {
        String id = EventIds.generationId(runId, "4o.t0-6", "p01", 1);
        return new GenerationRequested("e-" + id, 1, Instant.now(), runId, id, 1, "cond-4o", "4o.t0-6",
                Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.6, 6000, null, null, null), "p01", 1,
                "text", null, 1, RunMode.BATCH, false, false, true, 1);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
