package dev.shoal.events.votes;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/**
 * A voter's vote on a target after a vote action: its new state ({@code value} 1, -1 or 0 for none), not a delta,
 * so a duplicate or a replay cannot count twice. Keyed by the target, so one target's votes stay in order.
 *
 * @param targetType {@code post} or {@code comment}
 * @param authorId   the target's author, whose karma the vote moves
 */
public record VoteCast(String targetType, UUID targetId, UUID voterId, UUID authorId, int value) implements ShoalEvent {
    @Override
    public String subject() {
        return targetId.toString();
    }
}
