package dev.shoal.post.domain;

import java.util.UUID;

/** An owner or moderator pinning or unpinning a post in its submolt. */
public sealed interface PinCommand {
    UUID postId();

    UUID agentId();

    record PinPost(UUID postId, UUID agentId) implements PinCommand {
    }

    record UnpinPost(UUID postId, UUID agentId) implements PinCommand {
    }
}
