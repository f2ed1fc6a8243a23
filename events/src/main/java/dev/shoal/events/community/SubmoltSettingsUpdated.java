package dev.shoal.events.community;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** A submolt's settings after a change: the full new state of those fields, not a delta. Keyed by the submolt. */
public record SubmoltSettingsUpdated(UUID submoltId, String description, String bannerColor, String themeColor) implements ShoalEvent {
    @Override
    public String subject() {
        return submoltId.toString();
    }
}
