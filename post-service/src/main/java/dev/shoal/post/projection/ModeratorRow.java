package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code moderator}: an agent moderating a submolt; written only by {@link Submolts#evolve}. */
@Entity
@Table(name = "moderator")
@IdClass(MemberKey.class)
public class ModeratorRow extends PanacheEntityBase {
    @Id
    @Column(name = "submolt_id")
    public UUID submoltId;
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "created_at")
    public Instant createdAt;
}
