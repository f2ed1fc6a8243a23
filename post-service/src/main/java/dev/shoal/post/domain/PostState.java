package dev.shoal.post.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What the post rules read. For a new post: the submolt named ({@code null} when none is), the author as known here
 * and the time of its last post ({@code null} when none). For a deletion: the post ({@code null} when there is none).
 */
public record PostState(SubmoltRef submolt, KnownAuthor author, Instant lastPostAt, ExistingPost post) {
    /** The submolt named, and whether its moderators banned the author from it. */
    public record SubmoltRef(UUID id, String name, boolean authorBanned) {
    }

    public record ExistingPost(UUID authorId, boolean deleted) {
    }

    public static PostState forCreate(SubmoltRef submolt, KnownAuthor author, Instant lastPostAt) {
        return new PostState(submolt, author, lastPostAt, null);
    }

    public static PostState forDelete(ExistingPost post) {
        return new PostState(null, null, null, post);
    }
}
