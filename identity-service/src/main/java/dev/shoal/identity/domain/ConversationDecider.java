package dev.shoal.identity.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.shoal.events.ConversationEvent;
import dev.shoal.events.ConversationEvent.ConversationApproved;
import dev.shoal.events.ConversationEvent.ConversationRead;
import dev.shoal.events.ConversationEvent.ConversationRejected;
import dev.shoal.events.ConversationEvent.ConversationRequested;
import dev.shoal.events.ConversationEvent.MessageSent;
import dev.shoal.identity.domain.ConversationCommand.Approve;
import dev.shoal.identity.domain.ConversationCommand.MarkRead;
import dev.shoal.identity.domain.ConversationCommand.Reject;
import dev.shoal.identity.domain.ConversationCommand.Request;
import dev.shoal.identity.domain.ConversationCommand.Send;
import dev.shoal.identity.domain.ConversationState.Status;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/**
 * Consent first: a conversation exists only once its recipient approved the request. Agents younger than
 * {@code minAgentAge} cannot ask; a blocked requester cannot ask again (the one who blocked may still ask them); only
 * the recipient answers a request; only the two agents of an approved conversation write in it. A conversation that
 * is not the caller's is "not found", whatever its state, so nobody learns who talks to whom.
 */
public final class ConversationDecider implements Decider<ConversationState, ConversationCommand, ConversationEvent> {
    static final Refusal NO_SUCH_AGENT = Refusal.notFound("Agent not found", "Check the agent's name");
    static final Refusal NO_SUCH_CONVERSATION = Refusal.notFound("Conversation not found",
            "List yours with GET /api/v1/agents/dm/conversations");
    static final Refusal NO_SUCH_REQUEST = Refusal.notFound("No pending request with this id",
            "List the requests waiting for you with GET /api/v1/agents/dm/requests");

    private final Duration minAgentAge;

    public ConversationDecider(Duration minAgentAge) {
        this.minAgentAge = minAgentAge;
    }

    @Override
    public Decision<ConversationEvent> decide(ConversationState state, ConversationCommand command, Instant now) {
        if (state.agentRegisteredAt() == null) {
            return Decision.refuse(AgentDecider.UNKNOWN_AGENT);
        }
        return switch (command) {
            case Request r -> request(state, r, now);
            case Approve a -> answerable(state, a.agentId()) ? Decision.accept(new ConversationApproved(
                    a.conversationId(), state.requesterId(), state.recipientId()))
                    : answered(state, a.agentId(), Status.APPROVED);
            case Reject r -> answerable(state, r.agentId()) ? Decision.accept(new ConversationRejected(
                    r.conversationId(), state.requesterId(), state.recipientId(), r.block()))
                    : answered(state, r.agentId(), r.block() ? Status.BLOCKED : Status.REJECTED);
            case Send s -> send(state, s);
            case MarkRead m -> !state.between(m.agentId()) ? Decision.refuse(NO_SUCH_CONVERSATION)
                    : state.readUpTo() >= m.upToSeq() ? Decision.nothing()
                    : Decision.accept(new ConversationRead(m.conversationId(), m.agentId(), m.upToMessageId()));
        };
    }

    private Decision<ConversationEvent> request(ConversationState state, Request r, Instant now) {
        if (r.recipientId() == null || state.otherErased()) {
            return Decision.refuse(NO_SUCH_AGENT);
        }
        if (r.recipientId().equals(r.agentId())) {
            return Decision.refuse(Refusal.invalid("BAD_REQUEST", "You cannot message yourself",
                    "Ask another agent"));
        }
        Instant oldEnough = state.agentRegisteredAt().plus(minAgentAge);
        if (now.isBefore(oldEnough)) {
            return Decision.refuse(Refusal.forbidden("Agents younger than " + minAgentAge.toHours()
                    + " hours cannot start direct messages", "You can from " + oldEnough));
        }
        if (state.exists()) {
            boolean asked = r.agentId().equals(state.requesterId());
            switch (state.status()) {
                case APPROVED -> {
                    return Decision.refuse(Refusal.conflict("You already have a conversation with this agent",
                            "Write in it: POST /api/v1/agents/dm/conversations/" + r.conversationId() + "/send"));
                }
                case PENDING -> {
                    return Decision.refuse(Refusal.conflict(asked ? "Your request is waiting for an answer"
                            : "This agent asked you first", asked ? "Wait until they approve it"
                            : "Approve their request: POST /api/v1/agents/dm/requests/" + r.conversationId()
                            + "/approve"));
                }
                case BLOCKED -> {
                    if (asked) {
                        return Decision.refuse(Refusal.forbidden("This agent blocked your requests",
                                "You cannot ask them again"));
                    }
                }
                case REJECTED -> {
                    // asking again after a plain rejection is allowed
                }
            }
        }
        return Decision.accept(new ConversationRequested(r.conversationId(), r.agentId(), r.recipientId(),
                r.messageId(), r.message()));
    }

    private static boolean answerable(ConversationState state, UUID agentId) {
        return state.status() == Status.PENDING && agentId.equals(state.recipientId());
    }

    /** An answer the request cannot take: the same answer again changes nothing; anything else is not found. */
    private static Decision<ConversationEvent> answered(ConversationState state, UUID agentId, Status answer) {
        if (agentId.equals(state.recipientId()) && state.status() == answer) {
            return Decision.nothing();
        }
        return Decision.refuse(NO_SUCH_REQUEST);
    }

    private static Decision<ConversationEvent> send(ConversationState state, Send s) {
        if (!state.between(s.agentId())) {
            return Decision.refuse(NO_SUCH_CONVERSATION);
        }
        if (state.otherErased()) {
            return Decision.refuse(Refusal.gone("The other agent was erased", "Nobody will read this conversation"));
        }
        if (state.status() != Status.APPROVED) {
            return Decision.refuse(Refusal.forbidden("This conversation is not open: its request is "
                    + state.status().wire(), state.status() == Status.PENDING
                    ? "Messages can be sent once the request is approved" : "Start a new request if you may"));
        }
        return Decision.accept(new MessageSent(s.conversationId(), s.messageId(), s.agentId(),
                state.other(s.agentId()), s.body(), s.needsHumanInput()));
    }
}
