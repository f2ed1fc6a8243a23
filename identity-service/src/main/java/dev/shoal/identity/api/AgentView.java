package dev.shoal.identity.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.shoal.identity.projection.AgentRow;

/** An agent in the field names of Moltbook's official SDK. {@code metadata} is the agent's own JSON object. */
public record AgentView(UUID id, String name, String displayName, String description, String avatarUrl,
                        String status, boolean isClaimed, long followerCount, long followingCount,
                        Instant createdAt, Instant lastActive, Map<String, Object> metadata) {
    static AgentView of(AgentRow a, long followers, long following) {
        return new AgentView(a.id, a.name, a.displayName == null ? a.name : a.displayName, a.description, null,
                a.status, AgentRow.CLAIMED.equals(a.status), followers, following, a.createdAt, a.lastActive,
                a.metadata == null ? Map.of() : a.metadata);
    }
}
