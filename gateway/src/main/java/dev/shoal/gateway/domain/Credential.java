package dev.shoal.gateway.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Who a working key authenticates: the agent, and which of its keys it is. The gateway vouches for both, so a
 * command that concerns the key itself (rotate, revoke) acts only while that very key is still the agent's. A
 * suspended agent's key is known (so it is refused with 403, from memory) but admits nothing; an agent moderation
 * suspended ({@code moderation}) still reads, and its writes are refused until the suspension ends.
 */
public record Credential(UUID agentId, UUID keyId, boolean suspended, Suspension moderation) {
    public Credential(UUID agentId, UUID keyId) {
        this(agentId, keyId, false, null);
    }

    /** A moderation suspension: until when ({@code null}: until a moderator lifts it), and why. */
    public record Suspension(Instant until, String reason) {
        /** Whether it holds at {@code now}: the end is compared at read time, never stored as a flag. */
        public boolean activeAt(Instant now) {
            return until == null || until.isAfter(now);
        }
    }

    /** The suspension that stops this agent's writes at {@code now}, if any. */
    public Suspension writesStoppedAt(Instant now) {
        return moderation != null && moderation.activeAt(now) ? moderation : null;
    }
}
