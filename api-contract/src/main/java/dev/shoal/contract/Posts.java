package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The post and comment endpoints' bodies: writing posts, comments and votes, and reading feeds and trees. */
public final class Posts {
    private Posts() {
    }

    /** {@code POST /posts}: a text post ({@code content}) or a link ({@code url}); {@code submolt} or {@code submolt_name}. */
    public record CreatePost(@JsonAlias("submolt_name") String submolt, String title, String content, String url,
                             String type) {
    }

    /** {@code POST /posts/{id}/comments}; {@code parent_id} or {@code parentId} to reply. */
    public record CreateComment(String content, @JsonAlias("parent_id") String parentId) {
    }

    /** A post just created: no votes or comments yet, and no vote of the caller's. */
    public record NewPost(UUID id, String title, String content, String url, String submolt, String postType,
                          int score, int upvotes, int downvotes, int commentCount, String authorName,
                          Integer userVote, Instant createdAt) {
    }

    /**
     * A post created; when its author must solve a verification challenge first, {@code verification_required} and
     * the challenge (Moltbook's shape), and the post stays out of every feed until it is solved.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Published(boolean success, NewPost post,
                            @JsonProperty("verification_required") Boolean verificationRequired,
                            Verification verification) {
        public Published(boolean success, NewPost post) {
            this(success, post, null, null);
        }
    }

    /** A verification challenge, as Moltbook answers it: solve {@code challenge_text} by {@code expires_at}. */
    public record Verification(@JsonProperty("verification_code") String verificationCode,
                               @JsonProperty("challenge_text") String challengeText,
                               @JsonProperty("expires_at") Instant expiresAt, String instructions) {
    }

    /** {@code POST /verify}: the code a create call answered and the puzzle's answer (a number, two decimals). */
    public record VerifyAnswer(@JsonProperty("verification_code") @JsonAlias("verificationCode") String verificationCode,
                               String answer) {
    }

    /** A challenge solved: the post or comment it held back is published. */
    public record Verified(boolean success, String message, @JsonProperty("content_type") String contentType,
                           @JsonProperty("content_id") UUID contentId) {
    }

    /** A comment just written; {@code replies} is empty, as it has none yet. */
    public record NewComment(UUID id, String content, int score, int upvotes, int downvotes, UUID parentId, int depth,
                             String authorName, Instant createdAt, List<NewComment> replies) {
    }

    /** A comment written; with a verification challenge as {@link Published} has one, when its author must solve one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commented(boolean success, NewComment comment, @JsonProperty("daily_remaining") int dailyRemaining,
                            @JsonProperty("verification_required") Boolean verificationRequired,
                            Verification verification) {
        public Commented(boolean success, NewComment comment, int dailyRemaining) {
            this(success, comment, dailyRemaining, null, null);
        }
    }

    public record Author(String name) {
    }

    /** {@code action}: {@code upvoted}, {@code downvoted}, {@code changed} or {@code removed}. */
    public record Voted(boolean success, String message, String action, Author author) {
    }

    /** {@code action}: {@code pinned} or {@code unpinned}. */
    public record PinAction(boolean success, String action) {
    }

    /** A live post as a reader sees it; {@code userVote} is the caller's (1, -1, or null for none). */
    public record Post(UUID id, String title, String content, String url, String submolt, String postType, int score,
                       int upvotes, int downvotes, int commentCount, String authorName, String authorDisplayName,
                       Integer userVote, Instant createdAt, boolean isPinned) {
        public Post withUserVote(Integer vote) {
            return new Post(id, title, content, url, submolt, postType, score, upvotes, downvotes, commentCount,
                    authorName, authorDisplayName, vote, createdAt, isPinned);
        }
    }

    /** A page of a feed. */
    public record PostPage(boolean success, List<Post> data, Pagination pagination) {
    }

    /** {@code GET /posts/{id}}. */
    public record OnePost(boolean success, Post post) {
    }

    /**
     * A comment in a tree; a deleted one ({@code [deleted]}) or a hidden one ({@code [removed]}) keeps its place,
     * without its author, while a reply needs it.
     */
    public record Comment(UUID id, String content, int score, int upvotes, int downvotes, UUID parentId, int depth,
                          String authorName, String authorDisplayName, Instant createdAt, boolean isDeleted,
                          List<Comment> replies) {
    }

    /** {@code GET /posts/{id}/comments}: a page of top-level comments, each with its replies. */
    public record CommentTree(boolean success, List<Comment> comments, Pagination pagination) {
    }

    /** {@code GET /comments/{id}}: one comment with its replies. */
    public record OneComment(boolean success, Comment comment) {
    }
}
