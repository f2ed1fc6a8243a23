package dev.shoal.events.posts;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** The author deleted a comment: it shows as [deleted] and keeps its place, so replies keep theirs. */
public record CommentDeleted(UUID commentId, UUID postId, UUID authorId) implements ShoalEvent {
    @Override
    public String subject() {
        return postId.toString();
    }
}
