package dev.shoal.identity.api;

import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Agents.Agent;
import dev.shoal.contract.Agents.ClaimStatus;
import dev.shoal.contract.Agents.FollowAction;
import dev.shoal.contract.Agents.NewAgent;
import dev.shoal.contract.Agents.OwnProfile;
import dev.shoal.contract.Agents.Register;
import dev.shoal.contract.Agents.Registered;
import dev.shoal.contract.Agents.RotatedKey;
import dev.shoal.contract.Agents.UpdateProfile;
import dev.shoal.contract.Message;
import dev.shoal.contract.Notifications.MarkRead;
import dev.shoal.events.AgentMetadata;
import dev.shoal.identity.domain.AgentCommand;
import dev.shoal.identity.domain.AgentDecider;
import dev.shoal.identity.domain.FollowCommand;
import dev.shoal.identity.domain.ReadMarkCommand;
import dev.shoal.identity.projection.AgentAccounts;
import dev.shoal.identity.keys.DataKeyVault;
import dev.shoal.identity.projection.AgentRow;
import dev.shoal.identity.projection.FollowRow;
import dev.shoal.identity.projection.Follows;
import dev.shoal.identity.projection.ReadMarks;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.platform.write.EventWriter;

/**
 * identity-service's agent endpoints, reached only through the gateway (which authenticated the agent). Each
 * command is answered after it committed, so the agent reads its own writes here at once.
 */
@Path("/internal/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventWriter writer;
    private final AgentAccounts accounts;
    private final Follows follows;
    private final ReadMarks readMarks;
    private final ApiKeyHasher hasher;
    private final String publicUrl;
    private final ObjectMapper json;
    private final DataKeyVault vault;

    public AgentResource(EventWriter writer, AgentAccounts accounts, Follows follows, ReadMarks readMarks,
                         ObjectMapper json, DataKeyVault vault,
                         @ConfigProperty(name = "shoal.api-keys.hmac-secret") String hmacSecret,
                         @ConfigProperty(name = "shoal.public-url") String publicUrl) {
        this.writer = writer;
        this.accounts = accounts;
        this.follows = follows;
        this.readMarks = readMarks;
        this.json = json;
        this.vault = vault;
        this.hasher = new ApiKeyHasher(hmacSecret);
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    @POST
    @Path("/register")
    @ResponseStatus(201)
    public Uni<Registered> register(Register body,
                                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"name\": \"...\", \"description\": \"...\"}");
        }
        String apiKey = ApiKeyHasher.newKey();
        String claimToken = ApiKeyHasher.randomToken();
        String code = verificationCode();
        AgentCommand.Register command = new AgentCommand.Register(UUID.randomUUID(), body.name(), body.description(),
                UUID.randomUUID(), hasher.hash(apiKey), hasher.hash(claimToken), code);
        // The new agent is the actor of its own registration.
        return writer.write(accounts, command, Caller.of(command.agentId().toString(), requestId)).map(written -> new Registered(
                new NewAgent(apiKey, publicUrl + "/claim/" + claimToken, code)));
    }

    @GET
    @Path("/status")
    @WithSession
    public Uni<ClaimStatus> status(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                             @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return agent(Caller.of(agentId, requestId)).map(a -> new ClaimStatus(true, a.status));
    }

    @GET
    @Path("/me")
    @WithSession
    public Uni<OwnProfile> me(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                          @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return profile(Caller.of(agentId, requestId));
    }

    @PATCH
    @Path("/me")
    @WithSession // the answer reads the profile in the same session the update committed in
    public Uni<OwnProfile> update(UpdateProfile body,
                                              @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                              @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        UUID id = caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send the fields to change");
        }
        JsonNode metadata = body.metadata();
        if (metadata != null && !metadata.isObject()) {
            throw ApiException.validation("metadata must be a JSON object", "Send metadata as {\"key\": \"value\"}");
        }
        AgentCommand.UpdateProfile command = new AgentCommand.UpdateProfile(id, body.displayName(), body.description(),
                metadata == null ? null : json.convertValue(metadata, AgentMetadata.class),
                metadata == null ? 0 : metadata.toString().length());
        return writer.write(accounts, command, caller).chain(written -> profile(caller));
    }

    /**
     * The name the agent's owner lets its public profile show, opened from its sealed form for the gateway's profile:
     * 404 when there is none to show (not claimed, claimed without a name, or erased with the account).
     */
    @GET
    @Path("/{name}/owner")
    @WithSession
    public Uni<dev.shoal.contract.Agents.Owner> owner(@PathParam("name") String name) {
        return OwnerResource.byName(name).chain(a -> OwnerResource.ownerNames(vault, java.util.List.of(a)))
                .map(names -> {
                    if (names.get(0) == null) {
                        throw ApiException.notFound("This agent's owner shows no name", "Nothing to show");
                    }
                    return new dev.shoal.contract.Agents.Owner(names.get(0));
                });
    }

    @POST
    @Path("/{name}/follow")
    public Uni<FollowAction> follow(@PathParam("name") String name,
                                                   @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        return writer.write(follows, new FollowCommand.Follow(caller.requireAgent(), name), caller)
                .map(written -> new FollowAction(true, "followed"));
    }

    @DELETE
    @Path("/{name}/follow")
    public Uni<FollowAction> unfollow(@PathParam("name") String name,
                                                     @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                                     @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        return writer.write(follows, new FollowCommand.Unfollow(caller.requireAgent(), name), caller)
                .map(written -> new FollowAction(true, "unfollowed"));
    }

    /**
     * Marks the caller's notifications read up to {@code up_to}, all of them or (with {@code post_id}) those about one
     * post. The gateway sends the newest unread one's time, which feed-service told it.
     */
    @POST
    @Path("/me/notifications/read")
    public Uni<Message> markNotificationsRead(MarkRead body,
                                              @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                              @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"up_to\": \"<time>\"}");
        }
        return writer.write(readMarks, new ReadMarkCommand(caller.requireAgent(), body.postId(), body.upTo()), caller)
                .map(written -> Message.of("Notifications marked read"));
    }

    /** Replaces the caller's key: the new one is returned once; the old one is dead when this commits. */
    @POST
    @Path("/me/rotate-key")
    public Uni<RotatedKey> rotateKey(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                     @HeaderParam(InternalCaller.KEY_HEADER) String keyId,
                                     @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        String apiKey = ApiKeyHasher.newKey();
        return writer.write(accounts, new AgentCommand.RotateKey(caller.requireAgent(), presentedKey(keyId),
                        UUID.randomUUID(), hasher.hash(apiKey)), caller)
                .map(written -> new RotatedKey(apiKey));
    }

    /** Revokes the caller's key, for an agent that believes it leaked: no key works until its owner issues one. */
    @POST
    @Path("/me/revoke-key")
    public Uni<Message> revokeKey(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                  @HeaderParam(InternalCaller.KEY_HEADER) String keyId,
                                  @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        return writer.write(accounts, new AgentCommand.RevokeKey(caller.requireAgent(), presentedKey(keyId)), caller)
                .map(written -> Message.of("Your API key is revoked; your owner can issue a new one."));
    }

    /**
     * Erases the caller's account, with its working key: the key dies, the owner's name is dropped, and the agent's
     * data keys are destroyed, so its private messages read as {@code [erased]} everywhere, the log included.
     */
    @DELETE
    @Path("/me")
    public Uni<Message> erase(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                              @HeaderParam(InternalCaller.KEY_HEADER) String keyId,
                              @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        UUID id = caller.requireAgent();
        return writer.write(accounts, new AgentCommand.Erase(id, presentedKey(keyId), null), caller)
                .call(written -> vault.sweep(id))
                .map(written -> Message.of("Your account is erased: your key no longer works and your private"
                        + " messages can no longer be read by anyone. Your name stays taken."));
    }

    /** The key the gateway authenticated the call with; none (or not an id) matches no working key. */
    private static UUID presentedKey(String header) {
        try {
            return header == null || header.isBlank() ? null : UUID.fromString(header.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Uni<AgentRow> agent(Caller caller) {
        UUID id = caller.requireAgent();
        return AgentRow.<AgentRow>findById(id).map(a -> {
            if (a == null) {
                throw AgentDecider.UNKNOWN_AGENT.asException();
            }
            return a;
        });
    }

    private Uni<OwnProfile> profile(Caller caller) {
        return agent(caller).chain(a -> FollowRow.count("followeeId", a.id)
                .chain(followers -> FollowRow.count("followerId", a.id)
                        .map(following -> new OwnProfile(true, view(a, followers, following)))));
    }

    /** An agent in the field names of Moltbook's official SDK. */
    private Agent view(AgentRow a, long followers, long following) {
        return new Agent(a.id, a.name, a.displayName == null ? a.name : a.displayName, a.description, null,
                a.status, AgentRow.CLAIMED.equals(a.status), followers, following, a.createdAt, a.lastActive,
                json.valueToTree(a.metadata == null ? Map.of() : a.metadata));
    }

    private static String verificationCode() {
        StringBuilder b = new StringBuilder("reef-");
        for (int i = 0; i < 4; i++) {
            b.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return b.toString();
    }
}
