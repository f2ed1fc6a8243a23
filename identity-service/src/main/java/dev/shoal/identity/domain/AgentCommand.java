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
}
