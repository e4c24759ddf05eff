package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A row of apex_audition.runs, read only: the recorder is its single writer. */
@Entity
@Immutable
@Table(name = "runs")
public class RunEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String status;
    public String mode;
    @Column(name = "dry_run")
    public Boolean dryRun;
    @Column(name = "created_by")
    public String createdBy;
    public String notes;
    @Column(name = "expected_generations")
    public Integer expectedGenerations;
    public String reason;
    @Column(name = "cost_usd")
    public BigDecimal costUsd;
    @Column(name = "accepted_at")
    public OffsetDateTime acceptedAt;
    @Column(name = "rejected_at")
    public OffsetDateTime rejectedAt;
    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
}
