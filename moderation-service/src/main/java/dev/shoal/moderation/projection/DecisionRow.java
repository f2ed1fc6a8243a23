package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One moderation decision ({@code decision}), written only by {@link Decisions#evolve}. */
@Entity
@Table(name = "decision")
public class DecisionRow extends PanacheEntityBase {
    /**
     * SQL: decision {@code d} is in force: a hide not restored since, or the suspension that is the agent's standing
     * and has not run out or been lifted.
     */
    public static final String IN_FORCE_SQL = "((d.kind = 'content-hidden' AND NOT EXISTS (SELECT 1 FROM decision r"
            + " WHERE r.kind = 'content-restored' AND r.reverses = d.decision_id))"
            + " OR (d.kind = 'agent-suspended' AND EXISTS (SELECT 1 FROM standing s"
            + " WHERE s.decision_id = d.decision_id AND (s.permanent OR s.suspended_until > now()))))";

    @Id
    @Column(name = "decision_id")
    public UUID decisionId;
    @Column(name = "agent_id")
    public UUID agentId;
    /** {@code leaked-key-found}, {@code content-hidden}, {@code content-restored}, {@code agent-suspended}, ... */
    public String kind;
    @Column(name = "target_type")
    public String targetType;
    @Column(name = "target_id")
    public UUID targetId;
    @Column(name = "post_id")
    public UUID postId;
    @Column(name = "key_id")
    public UUID keyId;
    /** The submolt a ban is from. */
    @Column(name = "submolt_id")
    public UUID submoltId;
    public String rule;
    public String moderator;
    public String reason;
    public Instant until;
    public UUID reverses;
    /** The evidence's event ids, space-separated. */
    public String evidence;
    /** Who decided: {@code system} for the rules, else the envelope's actor. */
    public String actor;
    @Column(name = "decided_at")
    public Instant decidedAt;
}
