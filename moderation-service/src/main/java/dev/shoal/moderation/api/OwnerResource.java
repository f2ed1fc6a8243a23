package dev.shoal.moderation.api;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Moderation.AppealRequest;
import dev.shoal.contract.Moderation.Appealed;
import dev.shoal.contract.Moderation.OwnerAppeal;
import dev.shoal.contract.Moderation.OwnerDecision;
import dev.shoal.contract.Moderation.OwnerDecisions;
import dev.shoal.moderation.domain.AppealCommand;
import dev.shoal.moderation.projection.Appeals;
import dev.shoal.moderation.projection.DecisionRow;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.platform.sql.Transactions;
import dev.shoal.platform.write.EventWriter;

/**
 * What owners see of moderation and how they appeal, reached only through the gateway's owner pages, which verified
 * the human's token and pass its subject ({@link InternalCaller#HUMAN_HEADER}). Ownership is what {@code Signals}
 * learned from claims on the log: a human sees and appeals decisions about its own agents only.
 */
@Path("/internal/owners/me")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OwnerResource {
    private static final int PAGE = 100;
    private final DataSource dataSource;
    private final ReadSchema reads;
    private final EventWriter writer;
    private final Appeals appeals;

    public OwnerResource(DataSource dataSource, ReadSchema reads, EventWriter writer, Appeals appeals) {
        this.dataSource = dataSource;
        this.reads = reads;
        this.writer = writer;
        this.appeals = appeals;
    }

    /**
     * The suspensions and hides about the human's agents that are in force (however old: a permanent suspension
     * stays appealable), or were appealed within 30 days, newest first, each with its appeal and the answer.
     */
    @GET
    @Path("/decisions")
    @Blocking
    public OwnerDecisions decisions(@HeaderParam(InternalCaller.HUMAN_HEADER) String human,
                                    @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        String subject = Caller.human(human, requestId).humanSubject();
        return Transactions.inTransaction(dataSource, c -> {
            List<OwnerDecision> found = new ArrayList<>();
            try (PreparedStatement ps = reads.prepare(c, "SELECT d.decision_id, d.agent_id, n.name, d.kind,"
                    + " d.target_type, d.target_id, d.post_id, d.rule, d.moderator, d.reason, d.until, d.decided_at, "
                    + DecisionRow.IN_FORCE_SQL + ", p.appeal_id, p.statement, p.filed_at, p.outcome, p.answer,"
                    + " p.decided_at"
                    + " FROM {read}.agent_owner o JOIN decision d ON d.agent_id = o.agent_id"
                    + " LEFT JOIN appeal p ON p.decision_id = d.decision_id"
                    + " LEFT JOIN {read}.agent_signal n ON n.agent_id = d.agent_id"
                    + " WHERE o.owner_subject = ? AND d.kind IN ('content-hidden', 'agent-suspended')"
                    + " AND (" + DecisionRow.IN_FORCE_SQL + " OR (p.appeal_id IS NOT NULL"
                    + " AND d.decided_at > now() - interval '30 days'))"
                    + " ORDER BY d.decided_at DESC, d.decision_id LIMIT ?")) {
                ps.setString(1, subject);
                ps.setInt(2, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID appealId = rs.getObject(14, UUID.class);
                        OwnerAppeal appeal = appealId == null ? null : new OwnerAppeal(appealId, rs.getString(15),
                                instant(rs.getTimestamp(16)), rs.getString(17), rs.getString(18),
                                instant(rs.getTimestamp(19)));
                        found.add(new OwnerDecision(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class),
                                rs.getObject(7, UUID.class), rs.getString(8), rs.getString(9), rs.getString(10),
                                instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), rs.getBoolean(13), appeal));
                    }
                }
            }
            return new OwnerDecisions(true, found);
        });
    }

    /** The owner appeals a decision about its agent; a human moderator answers it from the queue. */
    @POST
    @Path("/appeals")
    public Uni<Response> appeal(AppealRequest body, @HeaderParam(InternalCaller.HUMAN_HEADER) String human,
                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(human, requestId);
        if (body == null || body.decisionId() == null) {
            throw ApiException.badRequest("decision_id is required", "Appeal a decision listed on your page");
        }
        UUID appealId = UUID.randomUUID();
        return Panache.withSession(() -> DecisionRow.<DecisionRow>findById(body.decisionId())).map(d -> {
            if (d == null) {
                throw ApiException.notFound("Decision not found", "Appeal a decision listed on your page");
            }
            return new AppealCommand.File(d.agentId, caller.humanSubject(), d.decisionId, body.statement(), appealId);
        }).chain(command -> writer.write(appeals, command, caller)).map(w -> Response.status(201)
                .entity(new Appealed(true, "Appealed: a moderator will answer on your page", appealId)).build());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
