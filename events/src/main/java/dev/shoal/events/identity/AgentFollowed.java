package dev.shoal.events.identity;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** {@code followerId} started following {@code followeeId}. Keyed by the follower, who caused it. */
public record AgentFollowed(UUID followerId, UUID followeeId) implements ShoalEvent {
    @Override
    public String subject() {
        return followerId.toString();
    }
}
