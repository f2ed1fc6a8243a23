package dev.shoal.identity.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.shoal.identity.domain.Agent;

/** An agent in the field names of Moltbook's official SDK. */
public record AgentView(UUID id, String name, String displayName, String description, String avatarUrl,
                        String status, boolean isClaimed, long followerCount, long followingCount,
                        Instant createdAt, Instant lastActive, Map<String, Object> metadata) {
    static AgentView of(Agent a) {
        return new AgentView(a.id(), a.name(), a.displayName() == null ? a.name() : a.displayName(), a.description(),
                null, a.status(), a.claimed(), a.followerCount(), a.followingCount(), a.createdAt(), a.lastActive(),
                a.metadata());
    }
}
