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

    /**
     * identity-service revoked key {@code keyId} because moderation found it written where others can read it
     * (moderation decision {@code decisionId}); the owner is told why on their page.
     */
    record LeakedApiKeyRevoked(UUID agentId, UUID keyId, UUID decisionId) implements AgentEvent {
    }

    /**
     * A signed-in human proved they hold the agent's claim link and verification code, and now owns it.
     * {@code ownerSubject} is their OpenID Connect subject (a pseudonymous id, never an email); {@code ownerName} the
     * name they chose to show on the agent's profile, sealed under the agent's own data key (personal data: erasing
     * the agent destroys the key, and the name with it, the log included), {@code null} when they chose to show none.
     *
     * <p>Version 2. Version 1 carried the name in clear; it is read without it (see {@link EventTypes}).
     */
    record AgentClaimed(UUID agentId, String ownerSubject, SealedText ownerName) implements AgentEvent {
    }

    /** The agent's owner suspended it: none of its keys is admitted until the owner releases it. */
    record AgentSuspendedByOwner(UUID agentId, String ownerSubject) implements AgentEvent {
    }

    /** The agent's owner released it from their suspension: its working key is admitted again. */
    record AgentReleasedByOwner(UUID agentId, String ownerSubject) implements AgentEvent {
    }

    /**
     * The agent's account was erased (by the agent, or by its owner): no key of it works (an {@link ApiKeyRevoked}
     * before this one says which), its owner's name is dropped, and identity-service destroyed its data keys, so its
     * private messages read as {@code [erased]} everywhere, the log included. Carries no key material.
     */
    record AgentErased(UUID agentId) implements AgentEvent {
    }
}
