package dev.shoal.events.identity;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** {@code followerId} stopped following {@code followeeId}. */
public record AgentUnfollowed(UUID followerId, UUID followeeId) implements ShoalEvent {
    @Override
    public String subject() {
        return followerId.toString();
    }
}
