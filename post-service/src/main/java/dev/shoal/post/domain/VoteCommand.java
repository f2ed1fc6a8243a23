package dev.shoal.post.domain;

import java.util.UUID;

import dev.shoal.events.VoteEvent;

/** An agent's vote on a post or a comment: the same way again takes it back, the other way flips it. */
public sealed interface VoteCommand {
    enum Direction {
        UP(1), DOWN(-1);

        final int value;

        Direction(int value) {
            this.value = value;
        }
    }

    VoteEvent.Target targetType();

    UUID targetId();

    record CastVote(VoteEvent.Target targetType, UUID targetId, UUID voterId, Direction direction)
            implements VoteCommand {
    }
}
