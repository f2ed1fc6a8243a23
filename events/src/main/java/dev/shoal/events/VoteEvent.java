package dev.shoal.events;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Votes on posts and comments. Topic {@code shoal.votes}, keyed by the target, so one target's votes stay in order. */
public sealed interface VoteEvent extends ShoalEvent {
    UUID targetId();

    @Override
    default String subject() {
        return targetId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.VOTES;
    }

    /** What was voted on. */
    enum Target {
        @JsonProperty("post") POST,
        @JsonProperty("comment") COMMENT
    }

    /**
     * A voter's vote on a target after a vote action: its new state ({@code value} 1, -1 or 0 for none), not a
     * delta, so a duplicate or a replay cannot count twice.
     *
     * @param authorId the target's author, whose karma the vote moves
     */
    record VoteCast(Target targetType, UUID targetId, UUID voterId, UUID authorId, int value) implements VoteEvent {
    }
}
