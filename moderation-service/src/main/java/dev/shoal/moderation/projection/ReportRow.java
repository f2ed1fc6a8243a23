package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One report ({@code report}) and how it was dealt with, written only by {@link Decisions#evolve}. */
@Entity
@Table(name = "report")
public class ReportRow extends PanacheEntityBase {
    @Id
    @Column(name = "report_id")
    public UUID reportId;
    /** The agent reported, or whose post or comment was. */
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "reporter_id")
    public UUID reporterId;
    /** {@code post}, {@code comment} or {@code agent}. */
    @Column(name = "target_type")
    public String targetType;
    @Column(name = "target_id")
    public UUID targetId;
    @Column(name = "post_id")
    public UUID postId;
    public String reason;
    public String note;
    @Column(name = "filed_at")
    public Instant filedAt;
    @Column(name = "resolved_at")
    public Instant resolvedAt;
    /** {@code actioned} or {@code dismissed}, once resolved. */
    public String outcome;
    @Column(name = "decision_id")
    public UUID decisionId;
    @Column(name = "resolved_by")
    public String resolvedBy;
    public String resolution;
}
