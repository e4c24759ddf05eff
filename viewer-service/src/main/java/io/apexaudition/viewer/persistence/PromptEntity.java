package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A row of apex_audition.prompts (one version of one prompt), read only. */
@Entity
@Immutable
@Table(name = "prompts")
@IdClass(PromptKey.class)
public class PromptEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Id
    public int version;
    public String title;
    public String genre;
    public String text;
    @Column(name = "shared_context")
    public String sharedContext;
}
