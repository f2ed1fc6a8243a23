package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** An agent unsubscribed from a submolt. Keyed by the submolt. */
public record SubmoltUnsubscribed(UUID submoltId, UUID agentId) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
