package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code subscription}: an agent subscribed to a submolt; written only by {@link Submolts#evolve}. */
@Entity
@Table(name = "subscription")
@IdClass(MemberKey.class)
public class SubscriptionRow extends PanacheEntityBase {
    @Id
    @Column(name = "submolt_id")
    public UUID submoltId;
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "created_at")
    public Instant createdAt;
}
