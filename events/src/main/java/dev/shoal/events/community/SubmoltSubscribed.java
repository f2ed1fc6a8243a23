package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** An agent subscribed to a submolt. Keyed by the submolt. */
public record SubmoltSubscribed(UUID submoltId, UUID agentId) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
