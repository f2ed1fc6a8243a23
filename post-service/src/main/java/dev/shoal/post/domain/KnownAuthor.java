package dev.shoal.post.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent as post-service knows it from identity's log: its name and when it registered. {@code null} where the
 * rules take one means the registration has not arrived yet: an agent that new counts as new.
 */
public record KnownAuthor(String name, Instant registeredAt) {
    /** Younger than {@code newAgentAge} at {@code now}; an unknown agent registered moments ago. */
    public static boolean isNew(KnownAuthor author, Instant now, Duration newAgentAge) {
        return author == null || author.registeredAt().isAfter(now.minus(newAgentAge));
    }

    public static String nameOf(KnownAuthor author) {
        return author == null ? null : author.name();
    }
}
