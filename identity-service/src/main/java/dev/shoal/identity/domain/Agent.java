package dev.shoal.identity.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An agent's account as identity-service holds it, with its follow counts. */
public record Agent(UUID id, String name, String displayName, String description, Map<String, Object> metadata,
                    String status, Instant createdAt, Instant lastActive, long followerCount, long followingCount) {
    public static final String PENDING_CLAIM = "pending_claim";
    public static final String CLAIMED = "claimed";

    public boolean claimed() {
        return CLAIMED.equals(status);
    }
}
