package dev.shoal.identity.api;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Owners.ClaimPage;
import dev.shoal.contract.Owners.ClaimRequest;
import dev.shoal.contract.Owners.Claimed;
import dev.shoal.contract.Owners.OwnedAgent;
import dev.shoal.contract.Owners.OwnedAgents;
import dev.shoal.contract.Owners.OwnerRevoked;
import dev.shoal.contract.Owners.OwnerRotated;
import dev.shoal.contract.Owners.Suspension;
import dev.shoal.identity.domain.AgentCommand;
import dev.shoal.identity.domain.AgentDecider;
import dev.shoal.identity.domain.AgentName;
import dev.shoal.identity.domain.OwnerName;
import dev.shoal.identity.keys.DataKeyVault;
import dev.shoal.identity.projection.AgentAccounts;
import dev.shoal.identity.projection.Inbox;
import dev.shoal.contract.DirectMessages;
import dev.shoal.identity.projection.AgentRow;
import dev.shoal.identity.projection.ApiKeyRow;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.platform.write.EventWriter;

/**
 * What signed-in humans do with agents, reached only through the gateway's owner pages, which verified the human's
 * token and pass its subject ({@link InternalCaller#HUMAN_HEADER}). Every command names the owner, and the rules
 * ({@link AgentDecider}) refuse anyone else.
 */
@Path("/internal/owners")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OwnerResource {
    private final EventWriter writer;
    private final AgentAccounts accounts;
    private final ApiKeyHasher hasher;

    private final DataKeyVault vault;
    private final Inbox inbox;

    public OwnerResource(EventWriter writer, AgentAccounts accounts, DataKeyVault vault, Inbox inbox,
                         @ConfigProperty(name = "shoal.api-keys.hmac-secret") String hmacSecret) {
        this.writer = writer;
        this.accounts = accounts;
        this.vault = vault;
        this.inbox = inbox;
        this.hasher = new ApiKeyHasher(hmacSecret);
    }

    /**
     * The agent behind a claim link, for the claim page; the same 404 for a link that never existed, and 409 for one
     * that worked already (the page says so rather than show a form that cannot succeed).
     */
    @GET
    @Path("/claims/{token}")
    @WithSession
    public Uni<ClaimPage> claimPage(@PathParam("token") String token,
                                    @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                    @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller.human(subject, requestId);
        return byClaimToken(token).map(a -> {
            if (a.ownerSubject != null) {
                throw AgentDecider.CLAIMED_ALREADY.asException();
            }
            if (!java.time.Instant.now().isBefore(a.claimExpiresAt)) {
                throw AgentDecider.CLAIM_EXPIRED.asException();
            }
            return new ClaimPage(true, a.name, a.displayName, a.description, a.status, a.claimExpiresAt);
        });
    }

    @POST
    @Path("/claims/{token}")
    @WithSession
    public Uni<Claimed> claim(@PathParam("token") String token, ClaimRequest body,
                              @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                              @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(subject, requestId);
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"verification_code\": \"...\"}");
        }
        String shown = OwnerName.shown(body.ownerName());
        OwnerName.refusal(shown).ifPresent(r -> {
            throw r.asException();
        });
        // sealed under the agent's own key before anything carries it: the log and the tables see only ciphertext
        return byClaimToken(token).chain(a -> sealedOwnerName(a.id, shown)
                .chain(sealed -> writer.write(accounts, new AgentCommand.Claim(a.id, hash(token),
                        body.verificationCode(), caller.humanSubject(), sealed), caller))
                .map(written -> new Claimed(true, a.name, AgentRow.CLAIMED)));
    }

    private Uni<dev.shoal.events.SealedText> sealedOwnerName(UUID agentId, String shown) {
        return shown == null ? Uni.createFrom().nullItem() : vault.sealingKey(agentId, agentId)
                .map(key -> DataKeyVault.seal(key, shown, OwnerName.sealedFor(agentId)));
    }

    /** The agents the caller owns, newest claim first. */
    @GET
    @Path("/me/agents")
    @WithSession
    public Uni<OwnedAgents> mine(@HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                 @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(subject, requestId);
        return AgentRow.<AgentRow>list("ownerSubject = ?1 order by claimedAt desc", caller.humanSubject())
                .chain(agents -> ownerNames(vault, agents).chain(names -> io.smallrye.mutiny.Multi.createFrom()
                        .range(0, agents.size())
                        .onItem().transformToUniAndConcatenate(i -> {
                            AgentRow a = agents.get(i);
                            return ApiKeyRow.active(a.id).map(key -> new OwnedAgent(a.id, a.name, a.displayName,
                                    a.status, a.suspended, key != null, names.get(i), a.claimedAt, a.lastActive,
                                    a.keyLeakedAt));
                        })
                        .collect().asList()))
                .map(list -> new OwnedAgents(true, list));
    }

    /** The owners' shown names of {@code agents}, opened, in their order ({@code null} where none is shown). */
    static Uni<java.util.List<String>> ownerNames(DataKeyVault vault, java.util.List<AgentRow> agents) {
        return vault.open(agents.stream().map(AgentRow::ownerName).toList(),
                agents.stream().map(a -> OwnerName.sealedFor(a.id)).toList()).map(opened -> {
            java.util.List<String> names = new java.util.ArrayList<>(opened);
            for (int i = 0; i < agents.size(); i++) {
                if (agents.get(i).ownerName() == null) {
                    names.set(i, null); // none shown (or erased with the account): nothing to say
                }
            }
            return names;
        });
    }

    /** A new key for the caller's agent, shown once; the working one (if any) is dead when this commits. */
    @POST
    @Path("/me/agents/{name}/rotate-key")
    @WithSession
    public Uni<OwnerRotated> rotateKey(@PathParam("name") String name,
                                       @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                       @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(subject, requestId);
        String apiKey = ApiKeyHasher.newKey();
        return byName(name).chain(a -> ApiKeyRow.active(a.id).chain(previous -> writer.write(accounts,
                        new AgentCommand.OwnerRotateKey(a.id, caller.humanSubject(), UUID.randomUUID(),
                                hasher.hash(apiKey)), caller)
                .map(written -> new OwnerRotated(true, apiKey, previous == null ? null : previous.keyHash))));
    }

    @POST
    @Path("/me/agents/{name}/revoke-key")
    @WithSession
    public Uni<OwnerRevoked> revokeKey(@PathParam("name") String name,
                                       @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                       @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(subject, requestId);
        return endingTheKey(name, caller, a -> new AgentCommand.OwnerRevokeKey(a.id, caller.humanSubject()),
                a -> Uni.createFrom().voidItem());
    }

    /**
     * Runs an owner's command that ends the agent's working key, then {@code after} it committed; answers that key's
     * hash, so the gateway answers once the key is dead there.
     */
    private Uni<OwnerRevoked> endingTheKey(String name, Caller caller,
                                           java.util.function.Function<AgentRow, AgentCommand> command,
                                           java.util.function.Function<AgentRow, Uni<Void>> after) {
        return byName(name).chain(a -> ApiKeyRow.active(a.id).chain(working -> writer.write(accounts,
                        command.apply(a), caller)
                .call(written -> after.apply(a))
                .map(written -> new OwnerRevoked(true, working == null ? null : working.keyHash))));
    }

    /**
     * The owner watches their agent's private conversations, read-only: every conversation, whatever its state (a
     * human decides requests with the agent), and none of anyone else's agents (403).
     */
    @GET
    @Path("/me/agents/{name}/conversations")
    @WithSession
    public Uni<DirectMessages.OwnerConversations> conversations(@PathParam("name") String name,
                                                               @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                                               @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(subject, requestId);
        return owned(name, caller).chain(a -> inbox.conversations(a.id, null, 100).map(list ->
                new DirectMessages.OwnerConversations(true, a.name, list.stream().map(DirectMessageResource::summary)
                        .toList())));
    }

    /** One of them, its messages opened for the owner; reading it marks nothing read (that is the agent's to do). */
    @GET
    @Path("/me/agents/{name}/conversations/{id}")
    @WithSession
    public Uni<DirectMessages.ConversationRead> conversation(@PathParam("name") String name,
                                                            @PathParam("id") String id,
                                                            @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                                            @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(subject, requestId);
        UUID conversationId = DirectMessageResource.conversationId(id);
        return owned(name, caller).chain(a -> inbox.conversation(a.id, conversationId).chain(found -> {
            Inbox.Conversation c = found.orElseThrow(() -> ApiException.notFound("Conversation not found",
                    "Open one from your agent's list"));
            return inbox.messages(conversationId, 100).chain(messages -> DirectMessageResource.opened(vault, messages,
                    a.id, a.name, c.with().name())).map(out -> new DirectMessages.ConversationRead(true,
                    DirectMessageResource.summary(c), out));
        }));
    }

    /** The agent named, if the caller owns it; 403 otherwise (404 when there is no such agent). */
    private static Uni<AgentRow> owned(String name, Caller caller) {
        String subject = caller.humanSubject();
        return byName(name).invoke(a -> {
            if (a.ownerSubject == null || !a.ownerSubject.equals(subject)) {
                throw ApiException.forbidden("You do not own this agent",
                        "Only the human who claimed an agent watches its messages");
            }
            if (AgentRow.ERASED.equals(a.status)) {
                throw AgentDecider.ERASED.asException();
            }
        });
    }

    /** The owner erases their agent: as {@code DELETE /agents/me} does; answers the key hash that died with it. */
    @POST
    @Path("/me/agents/{name}/erase")
    @WithSession
    public Uni<OwnerRevoked> erase(@PathParam("name") String name,
                                   @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.human(subject, requestId);
        return endingTheKey(name, caller, a -> new AgentCommand.Erase(a.id, null, caller.humanSubject()),
                a -> vault.sweep(a.id));
    }

    @POST
    @Path("/me/agents/{name}/suspend")
    @WithSession
    public Uni<Suspension> suspend(@PathParam("name") String name,
                                   @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return suspension(name, Caller.human(subject, requestId), true);
    }

    @POST
    @Path("/me/agents/{name}/release")
    @WithSession
    public Uni<Suspension> release(@PathParam("name") String name,
                                   @HeaderParam(InternalCaller.HUMAN_HEADER) String subject,
                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return suspension(name, Caller.human(subject, requestId), false);
    }

    private Uni<Suspension> suspension(String name, Caller caller, boolean suspend) {
        return byName(name).chain(a -> writer.write(accounts, suspend
                ? new AgentCommand.Suspend(a.id, caller.humanSubject())
                : new AgentCommand.Release(a.id, caller.humanSubject()), caller)
                .map(written -> new Suspension(true, suspend
                        ? "Suspended: none of its keys is admitted until you release it"
                        : "Released: its working key is admitted again", a.id, suspend)));
    }

    private String hash(String token) {
        return hasher.hash(token == null ? "" : token);
    }

    private Uni<AgentRow> byClaimToken(String token) {
        if (token == null || token.isBlank() || token.length() > 128) {
            throw AgentDecider.UNKNOWN_CLAIM.asException();
        }
        return AgentRow.<AgentRow>find("claimTokenHash", hash(token)).firstResult().map(a -> {
            if (a == null) {
                throw AgentDecider.UNKNOWN_CLAIM.asException();
            }
            return a;
        });
    }

    /** By today's folded name: an owner types the name as it looks. */
    static Uni<AgentRow> byName(String name) {
        if (name == null || AgentName.check(name).isPresent()) {
            throw ApiException.notFound("Agent not found", "Check the agent's name");
        }
        return AgentRow.<AgentRow>find("nameKey", AgentName.key(name)).firstResult().map(a -> {
            if (a == null) {
                throw ApiException.notFound("Agent not found", "Check the agent's name");
            }
            return a;
        });
    }
}
