package io.apexaudition.recorder.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes events into the {@code apex_audition} tables, each family through its {@link EventProjection}. Every
 * statement is an upsert keyed by the event's ids ({@link Table}), so a redelivered or replayed event changes
 * nothing, and a generation's status only moves forward within an attempt (a later attempt starts a new
 * lifecycle). One call is one database transaction. The live path ({@link #record}) binds rows to JDBC batches;
 * a rebuild ({@link #replay}) stages the generation tables' rows by COPY: the attempts applied per slice with the very
 * same statements, set-based ({@link StagedRows}), the generations folded into one row each at the end of the rebuild
 * by the same statements' clauses ({@link RebuildFold}), so both paths leave the same tables.
 */
@ApplicationScoped
public class ProjectionRepository {
    /** JSON for jsonb columns: every string in it made storable, since jsonb refuses the escape of NUL too. */
    private static final ObjectMapper JSONB = EventJson.mapper().copy().registerModule(new SimpleModule()
            .addSerializer(String.class, new StdSerializer<>(String.class) {
                @Override
                public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
                        throws java.io.IOException {
                    gen.writeString(PgText.storable(value));
                }
            })
            .addKeySerializer(String.class, new StdSerializer<>(String.class) {
                @Override
                public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
                        throws java.io.IOException {
                    gen.writeFieldName(PgText.storable(value));
                }
            }));

    /** The projection of each event type; an event without one (RunRequested, the planner's input) writes nothing. */
    private static final Map<Class<?>, EventProjection> PROJECTIONS = projections(new RunProjection(),
            new CatalogProjection(), new DispatchProjection(), new BatchProjection(), new GenerationProjection(),
            new DeadLetterProjection(), new VerdictProjection());

    private final DataSource dataSource;

    public ProjectionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a batch of events in one transaction; on failure nothing of it is written. */
    public void record(List<ApexEvent> events) throws SQLException {
        write(events, null);
    }

    /**
     * Starts a rebuild's fold of the generations ({@link RebuildFold}): {@link #replay} stages the slices into it,
     * {@link RebuildFold#finish} writes every generation once, closing it drops what it staged.
     */
    public RebuildFold startFold() throws SQLException {
        return RebuildFold.start(dataSource);
    }

    /**
     * Records a slice of a rebuild in one transaction, as {@link #record} would, with the generation tables' rows
     * COPYed into staging tables: the attempts applied set-based, the generations staged for the fold, written by
     * {@link RebuildFold#finish}. On failure nothing of it is written.
     */
    public void replay(List<ApexEvent> events, RebuildFold fold) throws SQLException {
        write(events, java.util.Objects.requireNonNull(fold, "a rebuild's slice needs the rebuild's fold"));
    }

    private void write(List<ApexEvent> events, RebuildFold fold) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Rows rows = new Rows(c, fold, OutputProjection.measure(c, events))) {
                for (ApexEvent event : events) {
                    EventProjection projection = PROJECTIONS.get(event.getClass());
                    if (projection != null) {
                        projection.write(event, rows);
                    }
                }
                rows.flush();
                OutputProjection.project(c, events);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Parks a record no consumer could read, keyed by its position so a replay parks it once. */
    public void recordUnreadable(String consumer, String topic, int partition, long offset, String key, String reason,
                                 String payload, Instant recordTime) throws SQLException {
        record(List.of(DeadLettered.parked(consumer, topic, partition, offset, key, reason, EventJson.echo(payload),
                recordTime)));
    }

    /** Empties every projected table (not Flyway's history), before a rebuild replays the topics into them. */
    public void truncateAll() throws SQLException {
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("TRUNCATE apex_audition.runs, apex_audition.conditions, apex_audition.prompts, "
                    + "apex_audition.batches, apex_audition.generations, apex_audition.dead_letters, "
                    + "apex_audition.dispatch_intents, apex_audition.generation_attempts, apex_audition.verdicts, "
                    + "apex_audition.judgments, apex_audition.request_bodies, apex_audition.long_texts");
        }
    }

    private static Map<Class<?>, EventProjection> projections(EventProjection... projections) {
        Map<Class<?>, EventProjection> byType = new HashMap<>();
        for (EventProjection projection : projections) {
            for (Class<? extends ApexEvent> type : projection.events()) {
                if (byType.put(type, projection) != null) {
                    throw new IllegalStateException(type.getSimpleName() + " has two projections");
                }
            }
        }
        return Map.copyOf(byType);
    }

    /** Binds text as Postgres can store it ({@link PgText}): a NUL must not turn a whole batch into an outage. */
    static void text(PreparedStatement p, int index, String value) throws SQLException {
        p.setString(index, PgText.storable(value));
    }

    static Timestamp ts(Instant at) {
        return Timestamp.from(at == null ? Instant.EPOCH : at);
    }

    static String json(Object value) {
        try {
            return JSONB.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write JSON column", e);
        }
    }
}
