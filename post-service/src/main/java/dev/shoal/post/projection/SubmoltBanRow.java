package dev.shoal.post.projection;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * A ban of an agent from a submolt, as the {@link KnownAgents} projection knows it from {@code shoal.moderation};
 * read-only here.
 */
@Entity
@Immutable
@Table(schema = KnownAgents.READ_SCHEMA, name = "submolt_ban")
@IdClass(SubmoltBanRow.Key.class)
public class SubmoltBanRow extends PanacheEntityBase {
    @Id
    @Column(name = "submolt_id")
    public UUID submoltId;
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "decision_id")
    public UUID decisionId;

    /** The row's composite key, as Hibernate's id class. */
    public record Key(UUID submoltId, UUID agentId) implements Serializable {
    }

    /** Whether the agent is banned from the submolt now. */
    public static Uni<Boolean> banned(UUID submolt, UUID agent) {
        return submolt == null ? Uni.createFrom().item(false)
                : SubmoltBanRow.<SubmoltBanRow>findById(new Key(submolt, agent)).map(b -> b != null);
    }
}
