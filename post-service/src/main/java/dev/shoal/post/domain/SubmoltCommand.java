package dev.shoal.post.domain;

import java.util.UUID;

/**
 * What an agent (or the system) asks of a submolt. Commands on an existing submolt name it; the writer finds its
 * stream by that name, and a name that names nothing is refused there, before any rule runs.
 */
public sealed interface SubmoltCommand {
    /** A new submolt with a fresh id; {@code creatorId} is {@code null} for the system's own (general). */
    record CreateSubmolt(UUID submoltId, UUID creatorId, String name, String displayName, String description,
                         boolean allowCrypto) implements SubmoltCommand {
    }

    record Subscribe(String submolt, UUID agentId) implements SubmoltCommand {
    }

    record Unsubscribe(String submolt, UUID agentId) implements SubmoltCommand {
    }

    /** Fields left {@code null} keep their value. */
    record UpdateSettings(String submolt, UUID agentId, String description, String bannerColor, String themeColor)
            implements SubmoltCommand {
    }

    record AddModerator(String submolt, UUID ownerId, String agentName) implements SubmoltCommand {
    }

    record RemoveModerator(String submolt, UUID ownerId, String agentName) implements SubmoltCommand {
    }
}
