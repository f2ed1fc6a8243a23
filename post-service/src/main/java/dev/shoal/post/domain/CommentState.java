package dev.shoal.post.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What the comment rules read. For a new comment: whether the post is live, the parent replied to ({@code null}
 * for a top-level comment or when it does not exist: see {@code parentFound}), the author as known here, and its
 * cadence (last comment, comments in the last 24 hours). For a deletion: the comment ({@code null} when none is).
 */
public record CommentState(boolean postLive, boolean parentFound, ExistingComment parent, KnownAuthor author,
                           Instant lastCommentAt, int commentsToday, ExistingComment comment,
                           String bannedFrom) {
    /** A comment that exists and is not deleted. */
    public record ExistingComment(UUID postId, UUID authorId, int depth) {
    }

    /** @param bannedFrom the name of the post's submolt when its moderators banned the author from it, else null */
    public static CommentState forCreate(boolean postLive, boolean parentFound, ExistingComment parent,
                                         KnownAuthor author, Instant lastCommentAt, int commentsToday,
                                         String bannedFrom) {
        return new CommentState(postLive, parentFound, parent, author, lastCommentAt, commentsToday, null, bannedFrom);
    }

    public static CommentState forDelete(ExistingComment comment) {
        return new CommentState(false, false, null, null, null, 0, comment, null);
    }
}
