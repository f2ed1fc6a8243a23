package dev.shoal.events.identity;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** An agent's API key was revoked; the agent has no working key until one is rotated in. */
public record ApiKeyRevoked(UUID agentId, UUID keyId) implements ShoalEvent {
    @Override
    public String subject() {
        return agentId.toString();
    }
}
