package dev.shoal.identity.domain;

import java.util.UUID;

/** An agent following or unfollowing another, named as the caller wrote it (folded before it is looked up). */
public sealed interface FollowCommand {
    UUID followerId();

    String followeeName();

    record Follow(UUID followerId, String followeeName) implements FollowCommand {
    }

    record Unfollow(UUID followerId, String followeeName) implements FollowCommand {
    }
}
