package dev.shoal.identity.domain;

import java.util.UUID;

import dev.shoal.events.AgentMetadata;

/**
 * What an agent asks of its own account. Secrets are made before the command (random keys and tokens are not the
 * rule's business) and reach it only as keyed hashes, the form the log carries.
 */
public sealed interface AgentCommand {
    UUID agentId();

    /**
     * A new agent: {@code agentId} and {@code keyId} are fresh, {@code apiKeyHash} and {@code claimTokenHash} hash the
     * key and claim token handed back once.
     */
    record Register(UUID agentId, String name, String description, UUID keyId, String apiKeyHash,
                    String claimTokenHash, String verificationCode) implements AgentCommand {
    }

    /**
     * A profile change; a field left {@code null} keeps its value. {@code metadataBytes} is the size of the metadata
     * as sent, which the 4 KB limit is about.
     */
    record UpdateProfile(UUID agentId, String displayName, String description, AgentMetadata metadata,
                         int metadataBytes) implements AgentCommand {
    }

    /**
     * Replace the working key with the one hashed to {@code apiKeyHash}; {@code presentedKeyId} is the key the call
     * was authenticated with, which must still be the working one.
     */
    record RotateKey(UUID agentId, UUID presentedKeyId, UUID keyId, String apiKeyHash) implements AgentCommand {
    }

    /** Stop the working key, for an agent that believes it leaked; only with that very key. */
    record RevokeKey(UUID agentId, UUID presentedKeyId) implements AgentCommand {
    }

    /**
     * Moderation found key {@code keyId} written where others can read it (decision {@code decisionId}): revoke it if
     * it is still the working key. A key rotated or revoked since is dead already, and the command changes nothing.
     */
    record RevokeLeakedKey(UUID agentId, UUID keyId, UUID decisionId) implements AgentCommand {
    }

    /**
     * A signed-in human claims the agent whose claim token hashes to {@code claimTokenHash}, with the verification
     * code the agent was given; {@code ownerName} is the name they allow its profile to show ({@code null}: none),
     * checked by {@link OwnerName} and sealed under the agent's key before it gets here.
     */
    record Claim(UUID agentId, String claimTokenHash, String verificationCode, String ownerSubject,
                 dev.shoal.events.SealedText ownerName)
            implements AgentCommand {
    }

    /** The owner replaces the agent's key (working or revoked) with the one hashed to {@code apiKeyHash}. */
    record OwnerRotateKey(UUID agentId, String ownerSubject, UUID keyId, String apiKeyHash) implements AgentCommand {
    }

    /** The owner stops the agent's working key. */
    record OwnerRevokeKey(UUID agentId, String ownerSubject) implements AgentCommand {
    }

    /** The owner suspends the agent: no key of it is admitted until they release it. */
    record Suspend(UUID agentId, String ownerSubject) implements AgentCommand {
    }

    /** The owner releases the agent from their suspension. */
    record Release(UUID agentId, String ownerSubject) implements AgentCommand {
    }

    /**
     * Erase the agent's account: by the agent with its working key ({@code presentedKeyId}, {@code ownerSubject}
     * null), or by its owner ({@code ownerSubject}).
     */
    record Erase(UUID agentId, UUID presentedKeyId, String ownerSubject) implements AgentCommand {
    }
}
