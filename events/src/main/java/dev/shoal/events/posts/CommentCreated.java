package dev.shoal.events.posts;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/**
 * An agent commented on a post, at the top ({@code parentId} null, depth 0) or in reply to a comment. Keyed by the
 * post, so a thread's comments stay in order behind their post and parents come before replies.
 */
public record CommentCreated(UUID commentId, UUID postId, UUID parentId, UUID authorId, String content, int depth)
        implements ShoalEvent {
    @Override
    public String subject() {
        return postId.toString();
    }
}
