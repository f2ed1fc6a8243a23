package dev.shoal.identity.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.ConversationEvent;
import dev.shoal.events.ConversationEvent.ConversationApproved;
import dev.shoal.events.ConversationEvent.ConversationRead;
import dev.shoal.events.ConversationEvent.ConversationRejected;
import dev.shoal.events.ConversationEvent.ConversationRequested;
import dev.shoal.events.ConversationEvent.MessageSent;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.SealedText;
import dev.shoal.events.Topic;
import dev.shoal.identity.domain.ConversationCommand;
import dev.shoal.identity.domain.ConversationDecider;
import dev.shoal.identity.domain.ConversationState;
import dev.shoal.identity.domain.ConversationState.Status;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/**
 * Private conversations ({@code dm_conversation}, {@code dm_message}, {@code dm_read_mark}), changed only by their
 * events, each conversation's stream on {@code shoal.messages} ordering them. Messages are stored sealed, as the log
 * carries them; only {@code keys.DataKeyVault} opens them, for the two agents of the conversation.
 */
@ApplicationScoped
public class Conversations implements WriteModel<ConversationState, ConversationCommand, ConversationEvent> {
    private final ConversationDecider decider;

    public Conversations(@ConfigProperty(name = "shoal.limits.dm-min-agent-age") Duration minAgentAge) {
        this.decider = new ConversationDecider(minAgentAge);
    }

    @Override
    public Uni<StreamId> stream(ConversationCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.MESSAGES, command.conversationId().toString()));
    }

    @Override
    public Uni<ConversationState> load(ConversationCommand command) {
        Uni<AgentRow> agent = AgentRow.findById(command.agentId());
        return agent.chain(a -> ConversationRow.<ConversationRow>findById(command.conversationId())
                .chain(c -> ReadMarkRow.<ReadMarkRow>findById(new ReadMarkRow.Key(command.conversationId(),
                        command.agentId()))
                        .chain(mark -> other(command, c).map(o -> new ConversationState(
                                a == null || AgentRow.ERASED.equals(a.status) ? null : a.createdAt,
                                c == null ? null : c.requesterId, c == null ? null : c.recipientId,
                                c == null ? null : Status.ofWire(c.status), mark == null ? 0 : mark.upToSeq,
                                o != null && AgentRow.ERASED.equals(o.status))))));
    }

    /** The other agent: the one asked, for a request; the conversation's other side, otherwise. */
    private static Uni<AgentRow> other(ConversationCommand command, ConversationRow c) {
        UUID other = command instanceof ConversationCommand.Request r ? r.recipientId()
                : c == null ? null : command.agentId().equals(c.requesterId) ? c.recipientId : c.requesterId;
        return other == null ? Uni.createFrom().nullItem() : AgentRow.findById(other);
    }

    @Override
    public Decision<ConversationEvent> decide(ConversationState state, ConversationCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(ConversationEvent event, EventEnvelope envelope) {
        Instant at = envelope.time();
        Uni<Void> rows = switch (event) {
            case ConversationRequested r -> ConversationRow.<ConversationRow>findById(r.conversationId()).chain(c -> {
                ConversationRow row = c == null ? new ConversationRow() : c;
                row.id = r.conversationId();
                row.requesterId = r.requesterId();
                row.recipientId = r.recipientId();
                row.status = Status.PENDING.wire();
                row.requestedAt = at;
                row.decidedAt = null;
                row.lastMessageAt = at;
                Uni<Void> saved = c == null ? row.persist().replaceWithVoid() : Uni.createFrom().voidItem();
                return saved.chain(() -> message(r.messageId(), r.conversationId(), r.requesterId(), r.recipientId(),
                        r.message(), false, envelope));
            });
            case ConversationApproved a -> decided(a.conversationId(), Status.APPROVED, at);
            case ConversationRejected r -> decided(r.conversationId(), r.blocked() ? Status.BLOCKED : Status.REJECTED, at);
            case MessageSent m -> message(m.messageId(), m.conversationId(), m.senderId(), m.recipientId(), m.body(),
                    m.needsHumanInput(), envelope)
                    .chain(() -> ConversationRow.<ConversationRow>findById(m.conversationId()))
                    .invoke(c -> c.lastMessageAt = at).replaceWithVoid();
            // the mark is kept as the message's place in the conversation (an earlier event wrote that row)
            case ConversationRead r -> DirectMessageRow.<DirectMessageRow>findById(r.upToMessageId()).chain(read ->
                    read == null ? Uni.createFrom().voidItem() : ReadMarkRow.<ReadMarkRow>findById(new ReadMarkRow.Key(r.conversationId(), r.readerId()))
                            .chain(mark -> {
                                if (mark != null) {
                                    if (read.seq > mark.upToSeq) {
                                        mark.upToMessageId = r.upToMessageId();
                                        mark.upToSeq = read.seq;
                                    }
                                    return Uni.createFrom().voidItem();
                                }
                                ReadMarkRow row = new ReadMarkRow();
                                row.conversationId = r.conversationId();
                                row.agentId = r.readerId();
                                row.upToMessageId = r.upToMessageId();
                                row.upToSeq = read.seq;
                                return row.persist().replaceWithVoid();
                            }));
        };
        return rows;
    }

    private static Uni<Void> decided(java.util.UUID conversationId, Status status, Instant at) {
        // the managed row, not a bulk update: a restore applies a request and its answer in one session unflushed
        return ConversationRow.<ConversationRow>findById(conversationId).invoke(c -> {
            c.status = status.wire();
            c.decidedAt = at;
        }).replaceWithVoid();
    }

    private static Uni<Void> message(java.util.UUID id, java.util.UUID conversationId, java.util.UUID senderId,
                                     java.util.UUID recipientId, SealedText text, boolean needsHumanInput,
                                     EventEnvelope envelope) {
        Instant at = envelope.time();
        DirectMessageRow row = new DirectMessageRow();
        row.id = id;
        row.seq = envelope.aggregateVersion();
        row.conversationId = conversationId;
        row.senderId = senderId;
        row.recipientId = recipientId;
        row.keyId = text.keyId();
        row.nonce = text.nonce();
        row.ciphertext = text.ciphertext();
        row.needsHumanInput = needsHumanInput;
        row.sentAt = at;
        return row.persist().replaceWithVoid();
    }
}
