package dev.shoal.identity.domain;

import java.util.UUID;

/**
 * What the follow rules read: whether the follower's account exists, the agent the name resolves to ({@code null}
 * when none does), and whether the follower already follows it.
 */
public record FollowState(boolean followerKnown, UUID followeeId, boolean following) {
}
