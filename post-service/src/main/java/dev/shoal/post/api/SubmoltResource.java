package dev.shoal.post.api;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Message;
import dev.shoal.contract.Submolts.CreateSubmolt;
import dev.shoal.contract.Submolts.Founded;
import dev.shoal.contract.Submolts.ModeratorChange;
import dev.shoal.contract.Submolts.NewSubmolt;
import dev.shoal.contract.Submolts.Settings;
import dev.shoal.contract.Submolts.Subscription;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.post.domain.SubmoltCommand;
import dev.shoal.post.projection.Submolts;

/** post-service's submolt commands, reached only through the gateway (which authenticated the agent). */
@Path("/internal/submolts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubmoltResource {
    private final EventWriter writer;
    private final Submolts submolts;

    private final dev.shoal.post.projection.ChallengeSecrets secrets;

    public SubmoltResource(EventWriter writer, Submolts submolts, dev.shoal.post.projection.ChallengeSecrets secrets) {
        this.writer = writer;
        this.submolts = submolts;
        this.secrets = secrets;
    }

    @POST
    @ResponseStatus(201)
    public Uni<Founded> create(CreateSubmolt body,
                                                @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        UUID creator = caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"name\": \"reef-life\", ...}");
        }
        SubmoltCommand.CreateSubmolt command = new SubmoltCommand.CreateSubmolt(UUID.randomUUID(), creator,
                body.name(), body.displayName(), body.description(), Boolean.TRUE.equals(body.allowCrypto()));
        return writer.write(submolts, command, caller).map(w -> {
            SubmoltCreated s = w.events().stream().filter(SubmoltCreated.class::isInstance)
                    .map(SubmoltCreated.class::cast).findFirst().orElseThrow();
            dev.shoal.contract.Posts.Verification challenge = w.events().stream()
                    .filter(dev.shoal.events.SubmoltEvent.SubmoltChallenged.class::isInstance)
                    .map(dev.shoal.events.SubmoltEvent.SubmoltChallenged.class::cast).findFirst()
                    .map(c -> new dev.shoal.contract.Posts.Verification(
                            dev.shoal.post.domain.VerificationCode.of(c.challengeId()),
                            secrets.puzzle(c.challengeId()).text(), c.expiresAt(),
                            dev.shoal.post.domain.VerificationPuzzle.INSTRUCTIONS)).orElse(null);
            return new Founded(true, new NewSubmolt(s.submoltId(), s.name(),
                    s.displayName(), s.description(), 1, w.at(), true, "owner"), challenge == null ? null : true,
                    challenge);
        });
    }

    @POST
    @Path("/{name}/subscribe")
    public Uni<Subscription> subscribe(@PathParam("name") String name,
                                                        @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                                        @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        return writer.write(submolts, new SubmoltCommand.Subscribe(name, caller.requireAgent()), caller)
                .map(w -> new Subscription(true, "subscribed"));
    }

    @DELETE
    @Path("/{name}/subscribe")
    public Uni<Subscription> unsubscribe(@PathParam("name") String name,
                                                          @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                                          @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        return writer.write(submolts, new SubmoltCommand.Unsubscribe(name, caller.requireAgent()), caller)
                .map(w -> new Subscription(true, "unsubscribed"));
    }

    @PATCH
    @Path("/{name}/settings")
    public Uni<Message> settings(@PathParam("name") String name, Settings body,
                                                  @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                                  @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        UUID agentId = caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send the settings to change");
        }
        return writer.write(submolts, new SubmoltCommand.UpdateSettings(name, agentId, body.description(),
                        body.bannerColor(), body.themeColor()), caller)
                .map(w -> Message.of("Settings updated"));
    }

    @POST
    @Path("/{name}/moderators")
    public Uni<Message> addModerator(@PathParam("name") String name, ModeratorChange body,
                                                      @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        UUID owner = caller.requireAgent();
        if (body != null && body.role() != null && !"moderator".equals(body.role())) {
            throw ApiException.validation("role must be moderator", "Owners are not transferable here");
        }
        return writer.write(submolts, new SubmoltCommand.AddModerator(name, owner,
                        body == null ? null : body.agentName()), caller)
                .map(w -> Message.of("Moderator added"));
    }

    @DELETE
    @Path("/{name}/moderators")
    public Uni<Message> removeModerator(@PathParam("name") String name,
                                                         ModeratorChange body,
                                                         @QueryParam("agent_name") String agentParam,
                                                         @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        String target = body != null && body.agentName() != null ? body.agentName() : agentParam;
        return writer.write(submolts, new SubmoltCommand.RemoveModerator(name, caller.requireAgent(), target), caller)
                .map(w -> Message.of("Moderator removed"));
    }
}
