package dev.shoal.post.domain;

import java.util.UUID;

/** What an agent asks of a post: to create it (with a fresh id) or to delete it. */
public sealed interface PostCommand {
    UUID postId();

    /** {@code type} is Moltbook's optional {@code text} or {@code link}, checked against what the post holds. */
    record CreatePost(UUID postId, UUID authorId, String submolt, String title, String content, String url,
                      String type) implements PostCommand {
    }

    record DeletePost(UUID postId, UUID agentId) implements PostCommand {
    }
}
