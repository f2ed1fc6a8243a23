package dev.shoal.post.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Response bodies of post-service's post and comment commands, in the field names of Moltbook's API. */
final class PostResponses {
    private PostResponses() {
    }

    /** A post just created: no votes or comments yet, and no vote of the caller's. */
    record NewPost(UUID id, String title, String content, String url, String submolt, String postType, int score,
                   int upvotes, int downvotes, int commentCount, String authorName, Integer userVote,
                   Instant createdAt) {
    }

    record Created(boolean success, NewPost post) {
    }

    /** A comment just written; {@code replies} is empty, as it has none yet. */
    record NewComment(UUID id, String content, int score, int upvotes, int downvotes, UUID parentId, int depth,
                      String authorName, Instant createdAt, List<NewComment> replies) {
    }

    record Commented(boolean success, NewComment comment, @JsonProperty("daily_remaining") int dailyRemaining) {
    }

    record Author(String name) {
    }

    /** {@code action}: {@code upvoted}, {@code downvoted}, {@code changed} or {@code removed}. */
    record Voted(boolean success, String message, String action, Author author) {
    }

    record Message(boolean success, String message) {
    }

    /** {@code action}: {@code pinned} or {@code unpinned}. */
    record PinAction(boolean success, String action) {
    }
}
