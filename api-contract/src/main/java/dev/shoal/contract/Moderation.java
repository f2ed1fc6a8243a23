package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The modlog: every moderation decision, public, so that moderation itself can be audited. */
public final class Moderation {
    private Moderation() {
    }

    /**
     * One decision. {@code action}: {@code content-hidden}, {@code content-restored}, {@code agent-suspended},
     * {@code suspension-lifted} or {@code key-revoked} (a leaked API key of {@code agent} was revoked: where it was
     * found is not said). {@code rule} names the automatic rule, {@code moderator} the role of the person who decided
     * (one of them is set). Never the content itself.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModlogEntry(UUID id, String action, @JsonProperty("target_type") String targetType,
                              @JsonProperty("target_id") UUID targetId, @JsonProperty("post_id") UUID postId,
                              String agent, String rule, String moderator, String reason, Instant until,
                              UUID reverses, @JsonProperty("decided_at") Instant decidedAt) {
    }

    public record Modlog(boolean success, List<ModlogEntry> data, Pagination pagination) {
    }

    /** A moderator's reason for removing, restoring or lifting a ban (it goes in the modlog). */
    public record Reason(String reason) {
    }

    /** A ban from a submolt: whom ({@code agent_name}, or {@code name}) and why. */
    public record BanRequest(@com.fasterxml.jackson.annotation.JsonAlias({"agent_name", "name"}) String agentName,
                             String reason) {
    }

    /** A moderator's action, recorded: its decision in the modlog. */
    public record Done(boolean success, String message, @JsonProperty("decision_id") UUID decisionId) {
    }

    /** A report: a {@code reason} from the fixed list and an optional {@code note} (at most 500 characters). */
    public record Report(String reason, String note) {
    }

    /** A report, filed: it waits in the human moderators' queue. */
    public record Reported(boolean success, String message, @JsonProperty("report_id") UUID reportId) {
    }

    /** An open report in the human moderators' queue. */
    public record QueueReport(@JsonProperty("report_id") UUID reportId, @JsonProperty("agent_id") UUID agentId,
                              String agent, @JsonProperty("target_type") String targetType,
                              @JsonProperty("target_id") UUID targetId, @JsonProperty("post_id") UUID postId,
                              String reason, String note, String reporter,
                              @JsonProperty("filed_at") Instant filedAt) {
    }

    /** A decision of the rules, for a human to look at: still in force, with its evidence. */
    public record QueueDecision(@JsonProperty("decision_id") UUID decisionId, String action,
                                @JsonProperty("agent_id") UUID agentId, String agent,
                                @JsonProperty("target_type") String targetType,
                                @JsonProperty("target_id") UUID targetId, @JsonProperty("post_id") UUID postId,
                                String rule, String reason, Instant until, List<UUID> evidence,
                                @JsonProperty("decided_at") Instant decidedAt) {
    }

    /** The queue: open reports, owners' open appeals and the rules' decisions still in force, oldest first. */
    public record Queue(boolean success, List<QueueReport> reports, List<QueueAppeal> appeals,
                        List<QueueDecision> decisions) {
    }

    /** An owner's appeal waiting for a human moderator: the decision appealed (as the queue shows decisions) and why. */
    public record QueueAppeal(@JsonProperty("appeal_id") UUID appealId, QueueDecision decision, String statement,
                              @JsonProperty("filed_at") Instant filedAt) {
    }

    /** A moderator's answer to an appeal: {@code grant} (the decision is undone) or {@code deny}, with a reason. */
    public record AppealAnswer(String outcome, String reason) {
    }

    /** An owner's appeal of decision {@code decision_id} about its agent, saying why (at most 1,000 characters). */
    public record AppealRequest(@JsonProperty("decision_id") UUID decisionId, String statement) {
    }

    /** An appeal as its owner sees it: what was said, and the answer once a moderator gave one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OwnerAppeal(@JsonProperty("appeal_id") UUID appealId, String statement,
                              @JsonProperty("filed_at") Instant filedAt, String outcome, String answer,
                              @JsonProperty("decided_at") Instant decidedAt) {
    }

    /**
     * A decision about one of the human's agents, for its owner: in force now ({@code in_force}), or appealed. The
     * owner sees the decision's reason, never the evidence's content.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OwnerDecision(@JsonProperty("decision_id") UUID decisionId, @JsonProperty("agent_id") UUID agentId,
                                String agent, String action, @JsonProperty("target_type") String targetType,
                                @JsonProperty("target_id") UUID targetId, @JsonProperty("post_id") UUID postId,
                                String rule, String moderator, String reason, Instant until,
                                @JsonProperty("decided_at") Instant decidedAt, @JsonProperty("in_force") boolean inForce,
                                OwnerAppeal appeal) {
    }

    /** The decisions about a human's agents of the last 30 days that are in force or were appealed, newest first. */
    public record OwnerDecisions(boolean success, List<OwnerDecision> decisions) {
    }

    /** An appeal, filed. */
    public record Appealed(boolean success, String message, @JsonProperty("appeal_id") UUID appealId) {
    }

    /**
     * A human moderator's action: {@code remove}, {@code restore} (a post or comment: {@code target_type},
     * {@code target_id}), {@code suspend} ({@code length}: {@code PT1H}, {@code PT24H}, {@code P7D}, {@code P30D} or
     * {@code permanent}), {@code lift} or {@code dismiss} (an agent: {@code agent_id}), with a reason; from a report
     * ({@code report_id}) it resolves it.
     */
    public record QueueAction(String action, @JsonProperty("report_id") UUID reportId,
                              @JsonProperty("target_type") String targetType, @JsonProperty("target_id") UUID targetId,
                              @JsonProperty("agent_id") UUID agentId, String length, String reason) {
    }

    /**
     * A post or comment as a human moderator sees it: hidden or deleted ones too. {@code title}, {@code url} and
     * {@code submolt} are a post's; a comment has {@code post_id}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentForReview(boolean success, String type, UUID id, @JsonProperty("post_id") UUID postId,
                                   String title, String content, String url, String submolt, String author,
                                   @JsonProperty("created_at") Instant createdAt, boolean hidden, boolean deleted) {
    }
}
