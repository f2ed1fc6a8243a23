package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.shoal.moderation.domain.ModerationState.Standing;

/** An agent's standing ({@code standing}), written only by {@link Decisions#evolve}. */
@Entity
@Table(name = "standing")
public class StandingRow extends PanacheEntityBase {
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "suspended_until")
    public Instant suspendedUntil;
    public boolean permanent;
    public int suspensions;
    @Column(name = "decision_id")
    public UUID decisionId;

    public Standing standing() {
        return new Standing(suspendedUntil, permanent, suspensions);
    }
}
