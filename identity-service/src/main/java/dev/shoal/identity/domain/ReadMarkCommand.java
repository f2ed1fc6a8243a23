package dev.shoal.identity.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An agent marks its notifications read, up to the newest one it was shown ({@code upTo}): all of them, or with
 * {@code postId} only those about that post.
 */
public record ReadMarkCommand(UUID agentId, UUID postId, Instant upTo) {
}
