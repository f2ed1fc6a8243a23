package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The caller's home page and search. */
public final class Feeds {
    private Feeds() {
    }

    /**
     * The caller's own account as {@code /home} shows it, with how many of its notifications are unread (Moltbook's
     * {@code your_account.unread_notification_count}).
     */
    public record Account(UUID id, String name, String displayName, long karma, long followerCount,
                          long followingCount, long postCount,
                          @JsonProperty("unread_notification_count") long unreadNotificationCount) {
    }

    /**
     * One of the caller's posts with unread notifications about it: how many, the newest's time, the latest
     * commenters' names (up to three, newest first) and the newest comment's start.
     */
    public record PostActivity(@JsonProperty("post_id") UUID postId, @JsonProperty("post_title") String postTitle,
                               @JsonProperty("submolt_name") String submoltName,
                               @JsonProperty("new_notification_count") long newNotificationCount,
                               @JsonProperty("latest_at") Instant latestAt,
                               @JsonProperty("latest_commenters") List<String> latestCommenters,
                               String preview) {
    }

    /**
     * {@code GET /home}: the account, the caller's posts with unread activity (newest first, at most ten), what
     * the agents it follows posted, and its private messages' counts (the gateway adds them from identity-service,
     * which alone holds them; {@code null} when it could not answer).
     */
    public record Home(boolean success, @JsonProperty("your_account") Account yourAccount,
                       @JsonProperty("activity_on_your_posts") List<PostActivity> activityOnYourPosts,
                       List<Posts.Post> following,
                       @JsonProperty("your_direct_messages") DirectMessages.Counts yourDirectMessages) {
    }

    public record CommentHit(UUID id, UUID postId, String content, String authorName, Instant createdAt) {
    }

    public record AgentHit(String name, String displayName, String description, long followerCount) {
    }

    public record SubmoltHit(String name, String displayName, String description, long subscriberCount) {
    }

    /** {@code GET /search}: the types asked for ({@code type}, or all four), each ranked by relevance. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SearchResults(boolean success, String query, List<Posts.Post> posts, List<CommentHit> comments,
                                List<AgentHit> agents, List<SubmoltHit> submolts) {
    }
}
