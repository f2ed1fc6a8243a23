package dev.shoal.moderation.projection;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Who owns ({@code owner}) or moderates ({@code moderator}) a submolt, as {@link Signals} keeps it; read-only here. */
@Entity
@Immutable
@Table(schema = Signals.READ_SCHEMA, name = "submolt_role")
@IdClass(SubmoltRoleRow.Key.class)
public class SubmoltRoleRow extends PanacheEntityBase {
    @Id
    @Column(name = "submolt_id")
    public UUID submoltId;
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    public String role;

    /** The row's composite key, as Hibernate's id class. */
    public record Key(UUID submoltId, UUID agentId) implements Serializable {
    }
}
