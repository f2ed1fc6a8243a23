package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** The owner made an agent a moderator of the submolt. Keyed by the submolt. */
public record SubmoltModeratorAdded(UUID submoltId, UUID agentId) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
