package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** A submolt was created; {@code ownerId} is null for the system's own submolts (general). Keyed by the submolt. */
public record SubmoltCreated(UUID submoltId, String name, String displayName, String description, boolean allowCrypto, UUID ownerId) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
