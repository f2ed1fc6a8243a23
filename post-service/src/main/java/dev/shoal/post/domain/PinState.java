package dev.shoal.post.domain;

import java.util.UUID;

/**
 * What the pin rules read: the post's submolt, whether the post is live, whether the caller owns or moderates the
 * submolt, whether the post is pinned, and how many live posts the submolt has pinned.
 */
public record PinState(UUID submoltId, boolean postLive, boolean callerInCharge, boolean pinned, long livePins) {
}
