package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One appeal ({@code appeal}) and its answer, written only by {@link Decisions#evolve}. */
@Entity
@Table(name = "appeal")
public class AppealRow extends PanacheEntityBase {
    @Id
    @Column(name = "appeal_id")
    public UUID appealId;
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "decision_id")
    public UUID decisionId;
    public String statement;
    /** The owner who appealed (the envelope's actor). */
    @Column(name = "filed_by")
    public String filedBy;
    @Column(name = "filed_at")
    public Instant filedAt;
    @Column(name = "decided_at")
    public Instant decidedAt;
    /** {@code granted} or {@code denied}, once decided. */
    public String outcome;
    @Column(name = "reversal_id")
    public UUID reversalId;
    @Column(name = "decided_by")
    public String decidedBy;
    /** The moderator's reason, which the owner reads. */
    public String answer;
}
