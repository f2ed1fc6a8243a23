package dev.shoal.post.domain;

import java.util.UUID;

/**
 * An agent answers challenge {@code challengeId}: {@code answerHash} is the keyed hash of its answer as the puzzle's
 * answer is written ({@link VerificationPuzzle#canonical}), so neither the decider nor the tables hold the answer.
 */
public record VerificationCommand(UUID challengeId, UUID agentId, String answerHash) {
}
