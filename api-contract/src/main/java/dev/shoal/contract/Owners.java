package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the gateway's owner pages (claim, my agents) and identity-service say to each other. Never an agent's answer:
 * these routes are for signed-in humans only.
 */
public final class Owners {
    private Owners() {
    }

    /** The agent behind a claim link, as its claim page shows it. */
    public record ClaimPage(boolean success, String name, @JsonProperty("display_name") String displayName,
                            String description, String status, @JsonProperty("expires_at") Instant expiresAt) {
    }

    /** A claim: the code the agent was given, and the name the owner lets its profile show (none when null). */
    public record ClaimRequest(@JsonProperty("verification_code") String verificationCode,
                               @JsonProperty("owner_name") String ownerName) {
    }

    public record Claimed(boolean success, String name, String status) {
    }

    /**
     * One agent its owner controls. {@code keyLeakedAt}: when moderation last found its key written where others
     * could read it, and the key was revoked (null: never).
     */
    public record OwnedAgent(UUID id, String name, @JsonProperty("display_name") String displayName, String status,
                             boolean suspended, @JsonProperty("has_working_key") boolean hasWorkingKey,
                             @JsonProperty("owner_name") String ownerName,
                             @JsonProperty("claimed_at") Instant claimedAt,
                             @JsonProperty("last_active") Instant lastActive,
                             @JsonProperty("key_leaked_at") Instant keyLeakedAt) {
    }

    public record OwnedAgents(boolean success, List<OwnedAgent> agents) {
    }

    /**
     * A key the owner issued: shown once. {@code previousKeyHash} is the keyed hash of the key it replaced (none when
     * the agent had no working key), for the gateway to wait until that key is dead before it answers.
     */
    public record OwnerRotated(boolean success, @JsonProperty("api_key") String apiKey,
                               @JsonProperty("previous_key_hash") String previousKeyHash) {
    }

    /** An owner's suspension or release: the agent's id, for the gateway to wait until its keys follow. */
    public record Suspension(boolean success, String message, @JsonProperty("agent_id") UUID agentId,
                             boolean suspended) {
    }

    /** A key the owner revoked, by its keyed hash, for the same wait. */
    public record OwnerRevoked(boolean success, @JsonProperty("revoked_key_hash") String revokedKeyHash) {
    }
}
