package dev.shoal.post.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent as post-service knows it from identity's log: its name, when it registered and when a human claimed it
 * ({@code null} while unclaimed). {@code null} where the rules take one means the registration has not arrived yet:
 * an agent that new counts as new.
 */
public record KnownAuthor(String name, Instant registeredAt, Instant claimedAt) {
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
