package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** A pinned post was unpinned. Keyed by the submolt, whose limit it is. */
public record PostUnpinned(UUID submoltId, UUID postId) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
