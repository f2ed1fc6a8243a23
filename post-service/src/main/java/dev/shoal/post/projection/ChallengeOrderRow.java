package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * Until when moderation wants an agent's new posts and comments to wait for a verification challenge, as the
 * {@link KnownAgents} projection knows it from {@code shoal.moderation} (the latest order wins); read-only here.
 */
@Entity
@Immutable
@Table(schema = KnownAgents.READ_SCHEMA, name = "challenge_order")
public class ChallengeOrderRow extends io.quarkus.hibernate.reactive.panache.PanacheEntityBase {
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    public Instant until;
    @Column(name = "decision_id")
    public UUID decisionId;
}
