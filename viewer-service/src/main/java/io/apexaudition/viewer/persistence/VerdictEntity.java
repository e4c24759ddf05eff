package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;

/**
 * A row of apex_audition.verdicts, read only: the viewer publishes a verdict as an event and the recorder writes the
 * row, so the table is rebuilt by replay like every other.
 */
@Entity
@Immutable
@Table(name = "verdicts")
public class VerdictEntity extends PanacheEntityBase {
    @Id
    @Column(name = "verdict_id")
    public String verdictId;
    @Column(name = "run_id")
    public String runId;
    @Column(name = "prompt_id")
    public String promptId;
    /** {@code pairwise} or {@code ranking}. */
    public String kind;
    @Column(name = "generation_a")
    public String generationA;
    @Column(name = "generation_b")
    public String generationB;
    /** Pairwise: {@code a}, {@code b} or {@code tie}. */
    public String winner;
    /** Ranking: generation ids, best first. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] ranking;
    public String reader;
    public boolean blind;
    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;
}
