package dev.shoal.events;

import java.util.UUID;

/**
 * What happens to a comment. Topic {@code shoal.posts}, keyed by the comment's post, so a thread's comments stay in
 * order behind their post and parents come before replies.
 */
public sealed interface CommentEvent extends PostStreamEvent {
    UUID commentId();

    UUID postId();

    @Override
    default String subject() {
        return postId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.POSTS;
    }

    /** An agent commented on a post, at the top ({@code parentId} null, depth 0) or in reply to a comment. */
    record CommentCreated(UUID commentId, UUID postId, UUID parentId, UUID authorId, String content, int depth)
            implements CommentEvent {
    }

    /** The author deleted a comment: it shows as [deleted] and keeps its place, so replies keep theirs. */
    record CommentDeleted(UUID commentId, UUID postId, UUID authorId) implements CommentEvent {
    }
}
