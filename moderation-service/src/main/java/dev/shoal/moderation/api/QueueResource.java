package dev.shoal.moderation.api;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Moderation.AppealAnswer;
import dev.shoal.contract.Moderation.Done;
import dev.shoal.contract.Moderation.Queue;
import dev.shoal.contract.Moderation.QueueAction;
import dev.shoal.contract.Moderation.QueueAppeal;
import dev.shoal.contract.Moderation.QueueDecision;
import dev.shoal.contract.Moderation.QueueReport;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.moderation.domain.AppealCommand;
import dev.shoal.moderation.domain.HumanCommand;
import dev.shoal.moderation.domain.HumanDecider;
import dev.shoal.moderation.domain.ModerationRules;
import dev.shoal.moderation.domain.ModeratorCommand;
import dev.shoal.moderation.projection.AppealRow;
import dev.shoal.moderation.projection.Appeals;
import dev.shoal.moderation.projection.ContentSignalRow;
import dev.shoal.moderation.projection.DecisionRow;
import dev.shoal.moderation.projection.HumanActions;
import dev.shoal.moderation.projection.ReportRow;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.platform.sql.Transactions;
import dev.shoal.platform.write.EventWriter;

/**
 * The human moderators' queue: open reports, owners' open appeals, and the rules' decisions of the last week still
 * in force, oldest first; and what a moderator does about them. Only for a signed-in human the gateway vouches holds the
 * {@code moderator} role.
 */
@Path("/internal/queue")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QueueResource {
    private static final int PAGE = 50;
    private final DataSource dataSource;
    private final ReadSchema reads;
    private final EventWriter writer;
    private final HumanActions actions;
    private final Appeals appeals;

    public QueueResource(DataSource dataSource, ReadSchema reads, EventWriter writer, HumanActions actions,
                         Appeals appeals) {
        this.dataSource = dataSource;
        this.reads = reads;
        this.writer = writer;
        this.actions = actions;
        this.appeals = appeals;
    }

    @GET
    @Blocking
    public Queue queue(@HeaderParam(InternalCaller.HUMAN_HEADER) String human,
                       @HeaderParam(InternalCaller.HUMAN_ROLE_HEADER) String role,
                       @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        moderator(human, role, requestId);
        return Transactions.inTransaction(dataSource, c -> {
            List<QueueReport> reports = new ArrayList<>();
            try (PreparedStatement ps = reads.prepare(c, "SELECT r.report_id, r.agent_id, a.name, r.target_type,"
                    + " r.target_id, r.post_id, r.reason, r.note, p.name, r.filed_at FROM report r"
                    + " LEFT JOIN {read}.agent_signal a ON a.agent_id = r.agent_id"
                    + " LEFT JOIN {read}.agent_signal p ON p.agent_id = r.reporter_id"
                    + " WHERE r.resolved_at IS NULL ORDER BY r.filed_at, r.report_id LIMIT ?")) {
                ps.setInt(1, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reports.add(new QueueReport(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getString(3), rs.getString(4), rs.getObject(5, UUID.class),
                                rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getTimestamp(10).toInstant()));
                    }
                }
            }
            List<QueueDecision> decisions = new ArrayList<>();
            // The rules' hides not restored since, and their suspensions not lifted since (nor replaced).
            try (PreparedStatement ps = reads.prepare(c, "SELECT d.decision_id, d.kind, d.agent_id, a.name,"
                    + " d.target_type, d.target_id, d.post_id, d.rule, d.reason, d.until, d.evidence, d.decided_at"
                    + " FROM decision d LEFT JOIN {read}.agent_signal a ON a.agent_id = d.agent_id"
                    + " WHERE d.rule IS NOT NULL AND d.rule <> ? AND d.decided_at > now() - interval '7 days'"
                    + " AND " + DecisionRow.IN_FORCE_SQL
                    + " ORDER BY d.decided_at, d.decision_id LIMIT ?")) {
                ps.setString(1, ModerationRules.LEAKED_KEY); // a revoked key is nothing to review
                ps.setInt(2, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        decisions.add(decisionAt(rs, 1));
                    }
                }
            }
            List<QueueAppeal> appeals = new ArrayList<>();
            try (PreparedStatement ps = reads.prepare(c, "SELECT d.decision_id, d.kind, d.agent_id, a.name,"
                    + " d.target_type, d.target_id, d.post_id, d.rule, d.reason, d.until, d.evidence, d.decided_at,"
                    + " p.appeal_id, p.statement, p.filed_at FROM appeal p JOIN decision d ON d.decision_id = p.decision_id"
                    + " LEFT JOIN {read}.agent_signal a ON a.agent_id = d.agent_id"
                    + " WHERE p.decided_at IS NULL ORDER BY p.filed_at, p.appeal_id LIMIT ?")) {
                ps.setInt(1, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        appeals.add(new QueueAppeal(rs.getObject(13, UUID.class), decisionAt(rs, 1),
                                rs.getString(14), rs.getTimestamp(15).toInstant()));
                    }
                }
            }
            return new Queue(true, reports, appeals, decisions);
        });
    }

    @POST
    @Path("/actions")
    public Uni<Done> act(QueueAction body, @HeaderParam(InternalCaller.HUMAN_HEADER) String human,
                         @HeaderParam(InternalCaller.HUMAN_ROLE_HEADER) String role,
                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = moderator(human, role, requestId);
        if (body == null || body.action() == null) {
            throw ApiException.badRequest("action is required",
                    "remove, restore, downrank, restore-rank, suspend, lift, challenge or dismiss");
        }
        UUID decision = UUID.randomUUID();
        Uni<HumanCommand> command = switch (body.action()) {
            case "remove" -> content(body).map(c -> new HumanCommand.Remove(c, body.reportId(), body.reason(),
                    decision));
            case "restore" -> content(body).map(c -> new HumanCommand.Restore(c, body.reportId(), body.reason(),
                    decision));
            case "suspend" -> agent(body).map(a -> new HumanCommand.Suspend(a, length(body.length()),
                    body.reportId(), body.reason(), decision));
            case "lift" -> agent(body).map(a -> new HumanCommand.Lift(a, body.reportId(), body.reason(), decision));
            case "downrank" -> content(body).map(c -> new HumanCommand.Downrank(c, body.reportId(), body.reason(),
                    decision));
            case "restore-rank" -> content(body).map(c -> new HumanCommand.RestoreRank(c, body.reportId(),
                    body.reason(), decision));
            case "challenge" -> agent(body).map(a -> new HumanCommand.Challenge(a, challengeLength(body.length()),
                    body.reportId(), body.reason(), decision));
            case "dismiss" -> agent(body).map(a -> new HumanCommand.Dismiss(a, body.reportId(), body.reason(),
                    decision));
            default -> throw ApiException.badRequest("Unknown action " + body.action(),
                    "remove, restore, downrank, restore-rank, suspend, lift, challenge or dismiss");
        };
        return command.chain(c -> writer.write(actions, c, caller).map(w -> new Done(true, "Done: " + body.action(),
                c instanceof HumanCommand.Dismiss ? null : decision)));
    }

    /**
     * A moderator's answer to an owner's appeal: {@code grant} undoes the decision (if it is still in force) and
     * {@code deny} upholds it; either way with a reason the owner reads.
     */
    @POST
    @Path("/appeals/{id}")
    public Uni<Done> answer(@PathParam("id") UUID appealId, AppealAnswer body,
                            @HeaderParam(InternalCaller.HUMAN_HEADER) String human,
                            @HeaderParam(InternalCaller.HUMAN_ROLE_HEADER) String role,
                            @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = moderator(human, role, requestId);
        if (body == null || !("grant".equals(body.outcome()) || "deny".equals(body.outcome()))) {
            throw ApiException.badRequest("outcome must be grant or deny", "Send {\"outcome\": \"grant\","
                    + " \"reason\": \"...\"}");
        }
        boolean grant = "grant".equals(body.outcome());
        UUID reversal = UUID.randomUUID();
        return Panache.withSession(() -> AppealRow.<AppealRow>findById(appealId)).map(a -> {
            if (a == null) {
                throw ApiException.notFound("Appeal not found", "Open the queue again");
            }
            return new AppealCommand.Decide(a.agentId, appealId, grant, body.reason(), reversal, caller.actor());
        }).chain(command -> writer.write(appeals, command, caller)).map(w -> new Done(true, grant
                ? "Granted: the decision is undone" : "Denied: the decision stands",
                w.events().stream().anyMatch(e -> e instanceof ModerationEvent.Decided) ? reversal : null));
    }

    /** One decision from a row whose columns, from {@code first}, are those the queue's queries select. */
    private static QueueDecision decisionAt(ResultSet rs, int first) throws java.sql.SQLException {
        Timestamp until = rs.getTimestamp(first + 9);
        String evidence = rs.getString(first + 10);
        return new QueueDecision(rs.getObject(first, UUID.class), rs.getString(first + 1),
                rs.getObject(first + 2, UUID.class), rs.getString(first + 3), rs.getString(first + 4),
                rs.getObject(first + 5, UUID.class), rs.getObject(first + 6, UUID.class), rs.getString(first + 7),
                rs.getString(first + 8), until == null ? null : until.toInstant(),
                evidence == null || evidence.isBlank() ? List.of() : Arrays.stream(evidence.split(" "))
                        .map(UUID::fromString).toList(), rs.getTimestamp(first + 11).toInstant());
    }

    private static Caller moderator(String human, String role, String requestId) {
        Caller caller = Caller.human(human, requestId);
        if (!HumanDecider.ROLE.equals(role)) {
            throw ApiException.forbidden("Only Shoal's moderators see the queue", "Sign in as a moderator");
        }
        return caller;
    }

    /** The post or comment an action names, as the signals know it (404 when they do not). */
    private static Uni<ModeratorCommand.Content> content(QueueAction body) {
        if (body.targetId() == null || !("post".equals(body.targetType()) || "comment".equals(body.targetType()))) {
            throw ApiException.badRequest("target_type (post or comment) and target_id are required",
                    "Name the post or comment");
        }
        return Panache.withSession(() -> ContentSignalRow.<ContentSignalRow>findById(body.targetId())).map(c -> {
            if (c == null || !c.kind.equals(body.targetType())) {
                throw ApiException.notFound("Not found", "Check the target");
            }
            return new ModeratorCommand.Content("post".equals(c.kind) ? Target.POST : Target.COMMENT, c.id,
                    c.postId, c.authorId, c.submoltId);
        });
    }

    /** The agent an action concerns: the one named, or the report's. */
    private static Uni<UUID> agent(QueueAction body) {
        if (body.agentId() != null) {
            return Uni.createFrom().item(body.agentId());
        }
        if (body.reportId() == null) {
            throw ApiException.badRequest("agent_id or report_id is required", "Name the agent");
        }
        return Panache.withSession(() -> ReportRow.<ReportRow>findById(body.reportId())).map(r -> {
            if (r == null) {
                throw ApiException.notFound("Report not found", "Open the queue again");
            }
            return r.agentId;
        });
    }

    /** A suspension's length as the form sends it ({@code permanent}: none). */
    /** How long an order to challenge an agent's content lasts: a length of the list, never without end. */
    private static Duration challengeLength(String raw) {
        Duration length = length(raw);
        if (length == null) {
            throw ApiException.badRequest("An order to challenge lasts 1 hour, 1 day, 7 days or 30 days",
                    "PT1H, PT24H, P7D or P30D");
        }
        return length;
    }

    private static Duration length(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("length is required", "PT1H, PT24H, P7D, P30D or permanent");
        }
        if (raw.equals("permanent")) {
            return null;
        }
        try {
            return Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("length is not a duration", "PT1H, PT24H, P7D, P30D or permanent");
        }
    }
}
