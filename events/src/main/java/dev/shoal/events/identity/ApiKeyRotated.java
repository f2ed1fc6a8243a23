package dev.shoal.events.identity;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** An agent's API key was replaced: {@code previousKeyId} stops working at once, {@code keyId} works from now. */
public record ApiKeyRotated(UUID agentId, UUID previousKeyId, UUID keyId, String apiKeyHash) implements ShoalEvent {
    @Override
    public String subject() {
        return agentId.toString();
    }
}
