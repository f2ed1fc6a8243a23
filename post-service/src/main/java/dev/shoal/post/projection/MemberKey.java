package dev.shoal.post.projection;

import java.io.Serializable;
import java.util.UUID;

/** The key of an agent's place in a submolt ({@link SubscriptionRow}, {@link ModeratorRow}), as their id class. */
public record MemberKey(UUID submoltId, UUID agentId) implements Serializable {
}
