package dev.shoal.post.domain;

import java.util.UUID;

/**
 * What the vote rule reads: the target's author ({@code null} when the target does not exist or was deleted), the
 * author as known here (for the answer), and the voter's current vote on it (-1, 0 or 1).
 */
public record VoteState(UUID authorId, KnownAuthor author, int current) {
}
