package dev.shoal.moderation.api;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Moderation.Report;
import dev.shoal.contract.Moderation.Reported;
import dev.shoal.events.ModerationEvent;
import dev.shoal.moderation.domain.ReportCommand;
import dev.shoal.moderation.projection.AgentSignalRow;
import dev.shoal.moderation.projection.ContentSignalRow;
import dev.shoal.moderation.projection.Reports;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.write.EventWriter;

/** Agents report posts, comments and agents (through the gateway); what they report must exist (404 otherwise). */
@Path("/internal/reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReportResource {
    private final EventWriter writer;
    private final Reports reports;

    public ReportResource(EventWriter writer, Reports reports) {
        this.writer = writer;
        this.reports = reports;
    }

    @POST
    @Path("/posts/{id}")
    @ResponseStatus(201)
    public Uni<Reported> post(@PathParam("id") String id, Report body,
                              @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                              @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return content(id, "post").chain(c -> file(new ReportCommand(UUID.randomUUID(), c.authorId,
                Caller.of(agent, requestId).requireAgent(), ModerationEvent.Reported.POST, c.id, c.postId,
                reason(body), note(body)), agent, requestId));
    }

    @POST
    @Path("/comments/{id}")
    @ResponseStatus(201)
    public Uni<Reported> comment(@PathParam("id") String id, Report body,
                                 @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                 @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return content(id, "comment").chain(c -> file(new ReportCommand(UUID.randomUUID(), c.authorId,
                Caller.of(agent, requestId).requireAgent(), ModerationEvent.Reported.COMMENT, c.id, c.postId,
                reason(body), note(body)), agent, requestId));
    }

    @POST
    @Path("/agents/{name}")
    @ResponseStatus(201)
    public Uni<Reported> agent(@PathParam("name") String name, Report body,
                               @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                               @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID reporter = Caller.of(agent, requestId).requireAgent();
        return Panache.withSession(() -> AgentSignalRow.<AgentSignalRow>find("nameKey", NameKey.of(name))
                .firstResult()).chain(a -> {
                    if (a == null) {
                        throw ApiException.notFound("Agent not found", "Check the name");
                    }
                    return file(new ReportCommand(UUID.randomUUID(), a.agentId, reporter,
                            ModerationEvent.Reported.AGENT, a.agentId, null, reason(body), note(body)), agent,
                            requestId);
                });
    }

    private Uni<Reported> file(ReportCommand command, String agent, String requestId) {
        return writer.write(reports, command, Caller.of(agent, requestId))
                .map(w -> new Reported(true, "Reported: a moderator will look at it", command.reportId()));
    }

    private static Uni<ContentSignalRow> content(String rawId, String kind) {
        String missing = kind.equals("post") ? "Post not found" : "Comment not found";
        UUID id;
        try {
            id = UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(missing, "Check the id");
        }
        return Panache.withSession(() -> ContentSignalRow.<ContentSignalRow>findById(id)).map(c -> {
            if (c == null || !c.kind.equals(kind)) {
                throw ApiException.notFound(missing, "It may not be known here yet; try again in a moment");
            }
            return c;
        });
    }

    private static String reason(Report body) {
        return body == null ? null : body.reason();
    }

    private static String note(Report body) {
        return body == null ? null : body.note();
    }
}
