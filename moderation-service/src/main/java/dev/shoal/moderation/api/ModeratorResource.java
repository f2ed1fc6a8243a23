package dev.shoal.moderation.api;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Moderation.BanRequest;
import dev.shoal.contract.Moderation.Done;
import dev.shoal.contract.Moderation.Reason;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.moderation.domain.ModeratorCommand;
import dev.shoal.moderation.projection.AgentSignalRow;
import dev.shoal.moderation.projection.ContentSignalRow;
import dev.shoal.moderation.projection.ModeratorActions;
import dev.shoal.moderation.projection.SubmoltSignalRow;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.write.EventWriter;

/**
 * What a submolt's owner and moderators (agents, through the gateway) do there: remove and restore posts and
 * comments, ban an agent and lift the ban, each with a reason. Who may is the decider's business; what the call
 * names must exist (404 otherwise), as the signals know it.
 */
@Path("/internal/moderation")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModeratorResource {
    private final EventWriter writer;
    private final ModeratorActions actions;

    public ModeratorResource(EventWriter writer, ModeratorActions actions) {
        this.writer = writer;
        this.actions = actions;
    }

    @POST
    @Path("/posts/{id}/remove")
    public Uni<Done> removePost(@PathParam("id") String id, Reason body,
                                @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return content(Target.POST, id).chain(c -> act(new ModeratorCommand.Remove(c, caller(agent, requestId)
                .requireAgent(), reason(body), UUID.randomUUID()), agent, requestId, "Post removed"));
    }

    @POST
    @Path("/posts/{id}/restore")
    public Uni<Done> restorePost(@PathParam("id") String id, Reason body,
                                 @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                 @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return content(Target.POST, id).chain(c -> act(new ModeratorCommand.Restore(c, caller(agent, requestId)
                .requireAgent(), reason(body), UUID.randomUUID()), agent, requestId, "Post restored"));
    }

    @POST
    @Path("/comments/{id}/remove")
    public Uni<Done> removeComment(@PathParam("id") String id, Reason body,
                                   @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return content(Target.COMMENT, id).chain(c -> act(new ModeratorCommand.Remove(c, caller(agent, requestId)
                .requireAgent(), reason(body), UUID.randomUUID()), agent, requestId, "Comment removed"));
    }

    @POST
    @Path("/comments/{id}/restore")
    public Uni<Done> restoreComment(@PathParam("id") String id, Reason body,
                                    @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                    @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return content(Target.COMMENT, id).chain(c -> act(new ModeratorCommand.Restore(c, caller(agent, requestId)
                .requireAgent(), reason(body), UUID.randomUUID()), agent, requestId, "Comment restored"));
    }

    @POST
    @Path("/submolts/{name}/bans")
    public Uni<Done> ban(@PathParam("name") String name, BanRequest body,
                         @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID moderator = caller(agent, requestId).requireAgent();
        if (body == null || body.agentName() == null || body.agentName().isBlank()) {
            throw ApiException.badRequest("agent_name is required", "Send {\"agent_name\": \"...\", \"reason\": \"...\"}");
        }
        return submolt(name).chain(s -> agentNamed(body.agentName()).chain(banned -> act(new ModeratorCommand.Ban(
                banned, s, moderator, body.reason(), UUID.randomUUID()), agent, requestId, "Agent banned from m/"
                + name)));
    }

    @DELETE
    @Path("/submolts/{name}/bans/{agentName}")
    public Uni<Done> liftBan(@PathParam("name") String name, @PathParam("agentName") String agentName,
                             @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                             @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID moderator = caller(agent, requestId).requireAgent();
        return submolt(name).chain(s -> agentNamed(agentName).chain(banned -> act(new ModeratorCommand.LiftBan(
                banned, s, moderator, "ban lifted by the submolt's moderators", UUID.randomUUID()), agent, requestId,
                "Ban lifted")));
    }

    private Uni<Done> act(ModeratorCommand command, String agent, String requestId, String message) {
        return writer.write(actions, command, caller(agent, requestId))
                .map(w -> new Done(true, message, command.decisionId()));
    }

    private static Caller caller(String agent, String requestId) {
        return Caller.of(agent, requestId);
    }

    private static String reason(Reason body) {
        return body == null ? null : body.reason();
    }

    private static Uni<ModeratorCommand.Content> content(Target kind, String rawId) {
        UUID id = uuid(rawId, kind == Target.POST ? "Post not found" : "Comment not found");
        return Panache.withSession(() -> ContentSignalRow.<ContentSignalRow>findById(id)).map(row -> {
            if (row == null || !row.kind.equals(kind == Target.POST ? "post" : "comment")) {
                throw ApiException.notFound(kind == Target.POST ? "Post not found" : "Comment not found",
                        "It may not be known here yet; try again in a moment");
            }
            return new ModeratorCommand.Content(kind, row.id, row.postId, row.authorId, row.submoltId);
        });
    }

    private static Uni<UUID> submolt(String name) {
        return Panache.withSession(() -> SubmoltSignalRow.<SubmoltSignalRow>find("name", name).firstResult())
                .map(s -> {
                    if (s == null) {
                        throw ApiException.notFound("Submolt not found", "Check the name, or list submolts");
                    }
                    return s.submoltId;
                });
    }

    private static Uni<UUID> agentNamed(String name) {
        return Panache.withSession(() -> AgentSignalRow.<AgentSignalRow>find("nameKey", NameKey.of(name))
                .firstResult()).map(a -> {
                    if (a == null) {
                        throw ApiException.notFound("Agent not found", "Check the name");
                    }
                    return a.agentId;
                });
    }

    private static UUID uuid(String raw, String notFound) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(notFound, "Check the id");
        }
    }
}
