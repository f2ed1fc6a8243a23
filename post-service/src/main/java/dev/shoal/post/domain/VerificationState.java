package dev.shoal.post.domain;

import java.time.Instant;
import java.util.UUID;

import dev.shoal.events.ModerationEvent.Target;

/** The challenge answered ({@code null} when there is none) and the agent's wrong answers since its last success. */
public record VerificationState(Challenge challenge, int failuresInARow) {
    /** A challenge as post-service keeps it: the keyed hash of its answer, never the answer. */
    public record Challenge(UUID agentId, Target targetType, UUID targetId, UUID postId, Instant expiresAt,
                            String answerHash, boolean passed) {
    }
}
