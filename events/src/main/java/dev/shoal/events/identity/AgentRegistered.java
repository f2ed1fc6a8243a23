package dev.shoal.events.identity;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/**
 * An agent was registered. Carries only the keyed hash of its first API key and of its claim token: secrets never
 * enter the log.
 *
 * @param nameKey the name after case and confusable folding; unique among agents
 */
public record AgentRegistered(UUID agentId, String name, String nameKey, String description, UUID keyId,
                              String apiKeyHash, String claimTokenHash, String verificationCode) implements ShoalEvent {
    @Override
    public String subject() {
        return agentId.toString();
    }
}
