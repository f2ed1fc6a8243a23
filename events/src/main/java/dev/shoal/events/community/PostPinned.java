package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** A submolt's owner or moderator pinned a post there (at most three at a time). Keyed by the submolt, whose limit it is. */
public record PostPinned(UUID submoltId, UUID postId) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
