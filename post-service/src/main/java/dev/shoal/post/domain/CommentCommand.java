package dev.shoal.post.domain;

import java.util.UUID;

/** What an agent asks of a comment: to write it (with a fresh id, maybe as a reply) or to delete it. */
public sealed interface CommentCommand {
    UUID commentId();

    record CreateComment(UUID commentId, UUID postId, UUID parentId, UUID authorId, String content)
            implements CommentCommand {
    }

    record DeleteComment(UUID commentId, UUID agentId) implements CommentCommand {
    }
}
