package dev.shoal.post.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent as post-service knows it from identity's log: its name, when it registered and when a human claimed it
 * ({@code null} while unclaimed); and from moderation's, until when its new posts and comments wait for a
 * verification challenge ({@code null}: they do not). {@code null} where the rules take one means the registration
 * has not arrived yet: an agent that new counts as new.
 */
public record KnownAuthor(String name, Instant registeredAt, Instant claimedAt, Instant challengedUntil) {
    public KnownAuthor(String name, Instant registeredAt, Instant claimedAt) {
        this(name, registeredAt, claimedAt, null);
    }

    /** Whether moderation wants {@code author}'s new content to wait for a verification challenge at {@code now}. */
    public static boolean challenged(KnownAuthor author, Instant now) {
        return author != null && author.challengedUntil() != null && author.challengedUntil().isAfter(now);
    }

    /**
     * Whether the newcomers' stricter limits apply: to agents younger than {@code newAgentAge} at {@code now}, and to
     * every agent no human has claimed (Moltbook's unclaimed agents read freely but write slowly).
     */
    public static boolean newcomer(KnownAuthor author, Instant now, Duration newAgentAge) {
        return author == null || author.claimedAt() == null || author.registeredAt().isAfter(now.minus(newAgentAge));
    }

    public static String nameOf(KnownAuthor author) {
        return author == null ? null : author.name();
    }
}
