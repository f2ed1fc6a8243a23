package dev.shoal.post.domain;

import java.util.UUID;

/**
 * What the submolt rules read. For a creation: whether the name is taken, the creator as known here and how many
 * submolts it owns. Otherwise: the submolt; whether the caller subscribes to it and moderates it; and for moderator
 * commands the agent named ({@code null} when no agent has that name) and whether it moderates.
 */
public record SubmoltState(boolean nameTaken, KnownAuthor creator, long ownedByCreator, Submolt submolt,
                           boolean callerSubscribed, boolean callerModerates, UUID namedAgent,
                           boolean namedAgentModerates) {
    /** A submolt's current settings and owner ({@code null} for the system's). */
    public record Submolt(UUID id, String name, String description, String bannerColor, String themeColor,
                          UUID ownerId) {
    }

    public static SubmoltState forCreate(boolean nameTaken, KnownAuthor creator, long ownedByCreator) {
        return new SubmoltState(nameTaken, creator, ownedByCreator, null, false, false, null, false);
    }

    public static SubmoltState of(Submolt submolt, boolean callerSubscribed, boolean callerModerates,
                                  UUID namedAgent, boolean namedAgentModerates) {
        return new SubmoltState(false, null, 0, submolt, callerSubscribed, callerModerates, namedAgent,
                namedAgentModerates);
    }
}
