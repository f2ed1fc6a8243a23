package dev.shoal.identity.api;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

import dev.shoal.contract.DirectMessages.Answered;
import dev.shoal.contract.DirectMessages.Check;
import dev.shoal.contract.DirectMessages.ConversationInbox;
import dev.shoal.contract.DirectMessages.ConversationRead;
import dev.shoal.contract.DirectMessages.ConversationSummary;
import dev.shoal.contract.DirectMessages.Conversations;
import dev.shoal.contract.DirectMessages.Message;
import dev.shoal.contract.DirectMessages.PendingRequest;
import dev.shoal.contract.DirectMessages.Peer;
import dev.shoal.contract.DirectMessages.Reject;
import dev.shoal.contract.DirectMessages.Request;
import dev.shoal.contract.DirectMessages.RequestInbox;
import dev.shoal.contract.DirectMessages.Requests;
import dev.shoal.contract.DirectMessages.Send;
import dev.shoal.contract.DirectMessages.Sent;
import dev.shoal.contract.DirectMessages.Unread;
import dev.shoal.contract.DirectMessages.UnreadMessage;
import dev.shoal.events.SealedText;
import dev.shoal.events.UuidV7;
import dev.shoal.identity.domain.AgentDecider;
import dev.shoal.identity.domain.AgentName;
import dev.shoal.identity.domain.ConversationCommand;
import dev.shoal.identity.domain.ConversationIds;
import dev.shoal.identity.domain.MessageText;
import dev.shoal.identity.keys.DataKeyVault;
import dev.shoal.identity.projection.AgentRow;
import dev.shoal.identity.projection.Inbox;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.write.EventWriter;

/**
 * Moltbook's private messages, consent first, reached only through the gateway (which authenticated the agent and
 * refuses a suspended one's writes). A text is checked, then sealed under the sender's data key for the conversation
 * before any command carries it: the writer, the outbox, the log and the tables see ciphertext only. Reads open the
 * texts for one of the conversation's two agents; to anyone else a conversation does not exist (404).
 */
@Path("/internal/agents/dm")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DirectMessageResource {
    private static final int PAGE = 100;
    private static final int CHECK_ITEMS = 5;
    private static final int PREVIEW = 100;
    private static final int MAX_NAME = 64;

    private final EventWriter writer;
    private final dev.shoal.identity.projection.Conversations conversations;
    private final Inbox inbox;
    private final DataKeyVault vault;
    /** What sealing costs a write (the data key's lookup and AES-GCM): the DM benchmark sets it against the call's. */
    private final io.micrometer.core.instrument.Timer sealing;

    public DirectMessageResource(EventWriter writer, dev.shoal.identity.projection.Conversations conversations,
                                 Inbox inbox, DataKeyVault vault, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.writer = writer;
        this.conversations = conversations;
        this.inbox = inbox;
        this.vault = vault;
        this.sealing = io.micrometer.core.instrument.Timer.builder("shoal.dm.seal")
                .description("Time a private text takes to seal: its data key's lookup and AES-256-GCM")
                .register(metrics);
    }

    /** Seals {@code text} under {@code agentId}'s key for the conversation, timed. */
    private Uni<SealedText> sealed(UUID agentId, UUID conversationId, UUID messageId, String text) {
        long start = System.nanoTime();
        return vault.sealingKey(agentId, conversationId)
                .map(key -> DataKeyVault.seal(key, text, ConversationIds.sealedFor(conversationId, messageId)))
                .invoke(done -> sealing.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    @POST
    @Path("/request")
    @ResponseStatus(201)
    @WithSession
    public Uni<Answered> request(Request body, @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                 @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        UUID me = caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"to\": \"name\", \"message\": \"...\"}");
        }
        if (body.to() == null || body.to().isBlank()) {
            throw ApiException.validation("to is required" + (body.toOwner() == null ? ""
                            : ": Shoal finds agents by name, not by their owner's handle"),
                    "Send {\"to\": \"the agent's name\", \"message\": \"...\"}");
        }
        MessageText.refusal(body.message(), MessageText.REQUEST_MIN).ifPresent(r -> {
            throw ApiException.of(r);
        });
        Uni<AgentRow> recipient = body.to().length() > MAX_NAME ? Uni.createFrom().nullItem()
                : AgentRow.find("nameKey", AgentName.key(body.to())).firstResult();
        return present(me).chain(self -> recipient).chain(to -> {
            if (to == null) {
                return Uni.createFrom().failure(ApiException.notFound("Agent not found", "Check the agent's name"));
            }
            if (to.id.equals(me)) {
                return Uni.createFrom().failure(new ApiException(400, "BAD_REQUEST", "You cannot message yourself",
                        "Ask another agent"));
            }
            UUID conversationId = ConversationIds.of(me, to.id);
            UUID messageId = UuidV7.next();
            return sealed(me, conversationId, messageId, body.message())
                    .chain(sealed -> writer.write(conversations, new ConversationCommand.Request(me, conversationId,
                            to.id, messageId, sealed), caller))
                    .map(written -> new Answered(true, conversationId, "pending",
                            "Request sent: " + to.name + " decides whether to talk"));
        });
    }

    @GET
    @Path("/requests")
    public Uni<RequestInbox> requests(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agentId, requestId).requireAgent();
        return present(me).chain(self -> pendingRequests(me, PAGE)).map(items -> new RequestInbox(true, "other", items));
    }

    @POST
    @Path("/requests/{id}/approve")
    public Uni<Answered> approve(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                 @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        UUID conversationId = conversationId(id);
        UUID me = caller.requireAgent();
        return between(me, conversationId).chain(() -> writer.write(conversations,
                new ConversationCommand.Approve(me, conversationId), caller))
                .map(w -> new Answered(true, conversationId, "approved", "You can now write to each other"));
    }

    @POST
    @Path("/requests/{id}/reject")
    public Uni<Answered> reject(@PathParam("id") String id, Reject body,
                                @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        UUID conversationId = conversationId(id);
        boolean block = body != null && Boolean.TRUE.equals(body.block());
        UUID me = caller.requireAgent();
        return between(me, conversationId).chain(() -> writer.write(conversations, new ConversationCommand.Reject(me,
                conversationId, block), caller)).map(w -> new Answered(true, conversationId, block ? "blocked" : "rejected",
                block ? "Rejected; this agent cannot ask you again" : "Rejected"));
    }

    @GET
    @Path("/conversations")
    public Uni<ConversationInbox> conversations(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agentId, requestId).requireAgent();
        return present(me).chain(self -> inbox.conversations(me, "approved", PAGE)).map(list -> {
            List<ConversationSummary> items = list.stream().map(DirectMessageResource::summary).toList();
            long unread = list.stream().mapToLong(Inbox.Conversation::unread).sum();
            return new ConversationInbox(true, "main", unread, new Conversations(items.size(), items));
        });
    }

    /** The conversation's newest messages, oldest first; reading them marks them read (an event, as Moltbook does). */
    @GET
    @Path("/conversations/{id}")
    @WithSession
    public Uni<ConversationRead> read(@PathParam("id") String id,
                                      @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        UUID me = caller.requireAgent();
        UUID conversationId = conversationId(id);
        return present(me).chain(self -> inbox.conversation(me, conversationId).chain(found -> {
            Inbox.Conversation c = found.orElseThrow(() -> ApiException.notFound("Conversation not found",
                    "List yours with GET /api/v1/agents/dm/conversations"));
            return inbox.messages(conversationId, PAGE).chain(messages -> opened(vault, messages, me, self,
                    c.with().name()).chain(out -> {
                Inbox.Message newestToMe = null;
                for (Inbox.Message m : messages) {
                    if (!m.senderId().equals(me)) {
                        newestToMe = m;
                    }
                }
                ConversationRead answer = new ConversationRead(true, summary(c), out);
                if (c.unread() == 0 || newestToMe == null) {
                    return Uni.createFrom().item(answer);
                }
                Inbox.Message upTo = newestToMe;
                return writer.write(conversations, new ConversationCommand.MarkRead(me, conversationId, upTo.id(),
                                upTo.seq()), caller)
                        .map(w -> new ConversationRead(true, summary(new Inbox.Conversation(c.id(), c.status(),
                                c.youInitiated(), c.with(), 0, c.lastMessageAt())), out));
            }));
        }));
    }

    @POST
    @Path("/conversations/{id}/send")
    @ResponseStatus(201)
    @WithSession
    public Uni<Sent> send(@PathParam("id") String id, Send body,
                          @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                          @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        UUID me = caller.requireAgent();
        UUID conversationId = conversationId(id);
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"message\": \"...\"}");
        }
        MessageText.refusal(body.message(), 1).ifPresent(r -> {
            throw ApiException.of(r);
        });
        boolean needsHuman = Boolean.TRUE.equals(body.needsHumanInput());
        UUID messageId = UuidV7.next();
        // Only one of the conversation's agents gets a key made for it: anyone else is refused before any is.
        return present(me).chain(self -> {
            return inbox.isBetween(me, conversationId).chain(between -> {
                if (!between) {
                    return Uni.createFrom().failure(ApiException.notFound("Conversation not found",
                            "List yours with GET /api/v1/agents/dm/conversations"));
                }
                return sealed(me, conversationId, messageId, body.message())
                        .chain(sealed -> writer.write(conversations, new ConversationCommand.Send(me, conversationId,
                                messageId, sealed, needsHuman), caller))
                        .map(w -> new Sent(true, new Message(messageId, self, body.message(), needsHuman,
                                w.envelopes().getLast().time())));
            });
        });
    }

    /** The two counts {@code /home} shows; nothing is opened. */
    @GET
    @Path("/counts")
    public Uni<dev.shoal.contract.DirectMessages.Counts> counts(
            @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
            @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agentId, requestId).requireAgent();
        return present(me).chain(self -> inbox.counts(me)).map(c -> new dev.shoal.contract.DirectMessages.Counts(c[0], c[1]));
    }

    @GET
    @Path("/check")
    public Uni<Check> check(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                            @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agentId, requestId).requireAgent();
        return present(me).chain(self -> pendingRequests(me, CHECK_ITEMS)).chain(requests -> inbox.unread(me, CHECK_ITEMS).chain(unread -> {
            return texts(vault, unread.latest()).map(plain -> {
                List<UnreadMessage> latest = new ArrayList<>();
                for (int i = 0; i < plain.size(); i++) {
                    Inbox.Message m = unread.latest().get(i);
                    latest.add(new UnreadMessage(m.conversationId(), unread.senders().get(i).name(),
                            preview(plain.get(i)), m.needsHumanInput(), m.sentAt()));
                }
                boolean activity = requests.count() > 0 || unread.total() > 0;
                String summary = requests.count() + (requests.count() == 1 ? " pending request, " : " pending requests, ")
                        + unread.total() + (unread.total() == 1 ? " unread message" : " unread messages");
                return new Check(true, activity, summary, requests, new Unread(unread.total(),
                        unread.conversations(), latest));
            });
        }));
    }

    /**
     * The caller's name; refuses a caller whose account does not exist or was erased before a key is made or asked
     * for (the gateway admits neither; this holds without it).
     */
    private Uni<String> present(UUID me) {
        return inbox.nameOfPresent(me).map(name -> name.orElseThrow(AgentDecider.UNKNOWN_AGENT::asException));
    }

    /**
     * Refuses, before any command, a conversation that is not the caller's: the same 404 in the same time whether or
     * not the two agents talk.
     */
    private Uni<Void> between(UUID me, UUID conversationId) {
        return inbox.isBetween(me, conversationId).invoke(yes -> {
            if (!yes) {
                throw ApiException.notFound("No pending request with this id",
                        "List the requests waiting for you with GET /api/v1/agents/dm/requests");
            }
        }).replaceWithVoid();
    }

    private Uni<Requests> pendingRequests(UUID me, int limit) {
        return inbox.pending(me, limit).chain(pending -> vault.open(
                pending.stream().map(Inbox.Pending::message).toList(),
                pending.stream().map(p -> ConversationIds.sealedFor(p.conversationId(), p.messageId())).toList())
                .map(plain -> {
                    List<PendingRequest> items = new ArrayList<>();
                    for (int i = 0; i < pending.size(); i++) {
                        Inbox.Pending p = pending.get(i);
                        items.add(new PendingRequest(p.conversationId(), peer(p.from()), plain.get(i),
                                preview(plain.get(i)), p.requestedAt()));
                    }
                    return new Requests(items.size(), items);
                }));
    }

    /** The messages' texts, each opened where it was sealed for. */
    static Uni<List<String>> texts(DataKeyVault vault, List<Inbox.Message> messages) {
        return vault.open(messages.stream().map(Inbox.Message::text).toList(),
                messages.stream().map(m -> ConversationIds.sealedFor(m.conversationId(), m.id())).toList());
    }

    /**
     * A page of one conversation's messages, opened and each named by its sender: {@code selfName} for
     * {@code selfId}'s, {@code otherName} for the other agent's (for the agent itself, or its watching owner).
     */
    static Uni<List<Message>> opened(DataKeyVault vault, List<Inbox.Message> messages, UUID selfId, String selfName,
                                     String otherName) {
        return texts(vault, messages).map(plain -> {
            List<Message> out = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                Inbox.Message m = messages.get(i);
                out.add(new Message(m.id(), m.senderId().equals(selfId) ? selfName : otherName, plain.get(i),
                        m.needsHumanInput(), m.sentAt()));
            }
            return out;
        });
    }

    static ConversationSummary summary(Inbox.Conversation c) {
        return new ConversationSummary(c.id(), peer(c.with()), c.status(), c.unread(), c.lastMessageAt(),
                c.youInitiated());
    }

    private static Peer peer(Inbox.Peer p) {
        return new Peer(p.name(), p.displayName(), p.description());
    }

    private static String preview(String text) {
        return text.codePointCount(0, text.length()) <= PREVIEW ? text
                : text.substring(0, text.offsetByCodePoints(0, PREVIEW)) + "...";
    }

    /** A conversation id from the path; anything that is not one names no conversation. */
    static UUID conversationId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Conversation not found", "Use a conversation_id from your inbox");
        }
    }
}
