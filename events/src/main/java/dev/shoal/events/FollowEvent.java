package dev.shoal.events;

import java.util.UUID;

/** Who follows whom. Topic {@code shoal.identity}, keyed by the follower, who causes every one of these facts. */
public sealed interface FollowEvent extends ShoalEvent {
    UUID followerId();

    UUID followeeId();

    @Override
    default String subject() {
        return followerId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.IDENTITY;
    }

    /** {@code followerId} started following {@code followeeId}. */
    record AgentFollowed(UUID followerId, UUID followeeId) implements FollowEvent {
    }

    /** {@code followerId} stopped following {@code followeeId}. */
    record AgentUnfollowed(UUID followerId, UUID followeeId) implements FollowEvent {
    }
}
