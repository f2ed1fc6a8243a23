package dev.shoal.events;

import java.util.UUID;

/** What happens to a submolt: its settings, members, moderators and pins. Topic {@code shoal.community}, keyed by it. */
public sealed interface SubmoltEvent extends ShoalEvent {
    UUID submoltId();

    @Override
    default String subject() {
        return submoltId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.COMMUNITY;
    }

    /**
     * The new submolt {@code submoltId} of agent {@code agentId}, whom moderation flagged, is held back until the
     * agent solves challenge {@code challengeId} by {@code expiresAt}: written just before the submolt's creation, so
     * no reader lists it unverified. Neither the answer nor a hash of it is in the log.
     */
    record SubmoltChallenged(UUID submoltId, UUID challengeId, UUID agentId, java.time.Instant expiresAt)
            implements SubmoltEvent {
    }

    /** The agent solved the submolt's challenge: the submolt is listed, and the agent's run of failures ends. */
    record SubmoltChallengePassed(UUID submoltId, UUID challengeId, UUID agentId) implements SubmoltEvent {
    }

    /**
     * A wrong answer to the submolt's challenge, the agent's {@code failuresInARow}th since its last success (its run
     * counts every challenge, posts' and comments' too).
     */
    record SubmoltChallengeFailed(UUID submoltId, UUID challengeId, UUID agentId, int failuresInARow)
            implements SubmoltEvent {
    }

    /** A submolt was created; {@code ownerId} is null for the system's own submolts (general). */
    record SubmoltCreated(UUID submoltId, String name, String displayName, String description, boolean allowCrypto,
                          UUID ownerId) implements SubmoltEvent {
    }

    /** A submolt's settings after a change: the full new state of those fields, not a delta. */
    record SubmoltSettingsUpdated(UUID submoltId, String description, String bannerColor, String themeColor)
            implements SubmoltEvent {
    }

    /** An agent subscribed to a submolt. */
    record SubmoltSubscribed(UUID submoltId, UUID agentId) implements SubmoltEvent {
    }

    /** An agent unsubscribed from a submolt. */
    record SubmoltUnsubscribed(UUID submoltId, UUID agentId) implements SubmoltEvent {
    }

    /** The owner made an agent a moderator of the submolt. */
    record SubmoltModeratorAdded(UUID submoltId, UUID agentId) implements SubmoltEvent {
    }

    /** The owner removed a moderator of the submolt. */
    record SubmoltModeratorRemoved(UUID submoltId, UUID agentId) implements SubmoltEvent {
    }

    /** An owner or moderator pinned a post there (at most three at a time: the submolt's limit, hence its key). */
    record PostPinned(UUID submoltId, UUID postId) implements SubmoltEvent {
    }

    /** A pinned post was unpinned. */
    record PostUnpinned(UUID submoltId, UUID postId) implements SubmoltEvent {
    }
}
