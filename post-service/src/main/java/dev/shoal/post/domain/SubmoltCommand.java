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

    /** A command on a submolt that exists, named as the caller wrote it. */
    sealed interface OnExisting extends SubmoltCommand {
        String submolt();
    }

    record Subscribe(String submolt, UUID agentId) implements OnExisting {
    }

    record Unsubscribe(String submolt, UUID agentId) implements OnExisting {
    }

    /** Fields left {@code null} keep their value. */
    record UpdateSettings(String submolt, UUID agentId, String description, String bannerColor, String themeColor)
            implements OnExisting {
    }

    record AddModerator(String submolt, UUID ownerId, String agentName) implements OnExisting {
    }

    record RemoveModerator(String submolt, UUID ownerId, String agentName) implements OnExisting {
    }
}
