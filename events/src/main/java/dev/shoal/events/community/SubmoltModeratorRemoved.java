package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** The owner removed a moderator of the submolt. Keyed by the submolt. */
public record SubmoltModeratorRemoved(UUID submoltId, UUID agentId) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
