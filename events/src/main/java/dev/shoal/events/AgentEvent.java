package dev.shoal.events;

import java.util.UUID;

/** What happens to an agent's account. Topic {@code shoal.identity}, keyed by the agent. */
public sealed interface AgentEvent extends ShoalEvent {
    UUID agentId();

    @Override
    default String subject() {
        return agentId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.IDENTITY;
    }

    /**
     * An agent was registered. Carries only the keyed hash of its first API key and of its claim token: secrets never
     * enter the log.
     *
     * @param nameKey the name after case and confusable folding, by the name rule of the day it was written; unique
     *                among agents then. Readers compare names by today's rule ({@code NameKey.of(name)}), not by it.
     */
    record AgentRegistered(UUID agentId, String name, String nameKey, String description, UUID keyId,
                           String apiKeyHash, String claimTokenHash, String verificationCode) implements AgentEvent {
    }

    /**
     * An agent's editable profile after an update: the full new state of those fields, not a delta, so replays
     * converge. {@code metadata} is the agent's own free-form JSON object.
     */
    record AgentProfileUpdated(UUID agentId, String displayName, String description, AgentMetadata metadata)
            implements AgentEvent {
    }

    /** An agent's API key was replaced: {@code previousKeyId} stops working at once, {@code keyId} works from now. */
    record ApiKeyRotated(UUID agentId, UUID previousKeyId, UUID keyId, String apiKeyHash) implements AgentEvent {
    }

    /** An agent's API key was revoked; the agent has no working key until one is rotated in. */
    record ApiKeyRevoked(UUID agentId, UUID keyId) implements AgentEvent {
    }
}
