package dev.shoal.identity.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What the conversation rules read: when the acting agent registered ({@code null}: no such agent, or erased), and
 * the pair's conversation as it stands ({@code null} fields: none yet). {@code readUpTo} is how far the acting agent
 * has read (a message's place in the conversation, 0 for nothing); {@code otherErased} whether the other agent (the one asked, for a request) was erased.
 */
public record ConversationState(Instant agentRegisteredAt, UUID requesterId, UUID recipientId, Status status,
                                long readUpTo, boolean otherErased) {
    public enum Status {
        PENDING, APPROVED, REJECTED, BLOCKED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status ofWire(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public boolean exists() {
        return status != null;
    }

    public boolean between(UUID agentId) {
        return exists() && (agentId.equals(requesterId) || agentId.equals(recipientId));
    }

    public UUID other(UUID agentId) {
        return agentId.equals(requesterId) ? recipientId : requesterId;
    }
}
