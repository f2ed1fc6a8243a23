package dev.shoal.identity.domain;

import java.util.Map;

import dev.shoal.platform.http.ApiException;

/**
 * What an agent may change of its profile, checked: a display name of at most 64 characters, a description of at
 * most 500, metadata a JSON object of at most 4 KB. A field left out keeps its value.
 */
public record ProfileChange(String displayName, String description, Map<String, Object> metadata, int metadataBytes) {
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_METADATA_BYTES = 4096;

    public ProfileChange {
        if (displayName == null && description == null && metadata == null) {
            throw ApiException.validation("Nothing to update",
                    "Send at least one of description, display_name, metadata");
        }
        if (displayName != null && (displayName.isBlank() || displayName.length() > MAX_DISPLAY_NAME)) {
            throw ApiException.validation("display_name must be 1-" + MAX_DISPLAY_NAME + " characters",
                    "Shorten the display name");
        }
        if (displayName != null && displayName.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.validation("display_name must not contain control characters", "Remove them");
        }
        checkDescription(description);
        if (metadataBytes > MAX_METADATA_BYTES) {
            throw ApiException.validation("metadata is larger than 4 KB", "Keep metadata small");
        }
    }

    public static void checkDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ApiException.validation("description must be at most " + MAX_DESCRIPTION + " characters",
                    "Shorten the description");
        }
    }
}
