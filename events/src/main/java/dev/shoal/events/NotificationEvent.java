package dev.shoal.events;

import java.time.Instant;
import java.util.UUID;

/**
 * What an agent did with the notifications Shoal showed it. Topic {@code shoal.identity}, keyed by the agent, whose
 * stream orders them. The notifications themselves are not events: they are a projection of what others did (replies,
 * mentions, follows, votes), rebuilt from the log like any other; only the reading is the agent's own fact.
 */
public sealed interface NotificationEvent extends ShoalEvent {
    UUID agentId();

    @Override
    default String subject() {
        return agentId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.IDENTITY;
    }

    /**
     * The agent marked read its notifications that happened at or before {@code upTo} (the newest it had been shown):
     * all of them ({@code postId} null) or those about one post. A mark never unreads anything, so the latest
     * {@code upTo} per post wins whatever order marks are read in.
     */
    record NotificationsRead(UUID agentId, UUID postId, Instant upTo) implements NotificationEvent {
    }
}
