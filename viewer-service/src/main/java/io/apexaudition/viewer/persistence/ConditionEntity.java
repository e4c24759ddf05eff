package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/** A row of apex_audition.conditions (a registered lane version), read only. */
@Entity
@Immutable
@Table(name = "conditions")
public class ConditionEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String slug;
    public int version;
    public String provider;
    public String model;
    @Column(name = "api_model_id")
    public String apiModelId;
    /** jsonb read as its text: the viewer only shows the parameters, it never interprets them. */
    @ColumnTransformer(read = "parameters::text")
    public String parameters;
    public String description;
}
