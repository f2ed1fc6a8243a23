package dev.shoal.post.domain;

import java.time.Instant;
import java.util.UUID;

/** The challenge answered ({@code null} when there is none) and the agent's wrong answers since its last success. */
public record VerificationState(Challenge challenge, int failuresInARow) {
    /** What a challenge holds back. */
    public enum Kind {
        POST, COMMENT, SUBMOLT
    }

    /**
     * A challenge as post-service keeps it: what it holds back ({@code targetId}, on the stream of {@code streamId}:
     * the post, or the submolt itself) and the keyed hash of its answer, never the answer.
     */
    public record Challenge(UUID agentId, Kind kind, UUID targetId, UUID streamId, Instant expiresAt,
                            String answerHash, boolean passed) {
    }
}
