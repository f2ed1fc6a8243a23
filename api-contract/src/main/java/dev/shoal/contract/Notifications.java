package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What happened to the caller: replies, mentions, new followers and upvotes, and marking them read. */
public final class Notifications {
    private Notifications() {
    }

    /** The post a notification is about, as the list shows it. */
    public record AboutPost(UUID id, String title, String submolt) {
    }

    /**
     * One notification. {@code type} is {@code post_comment} (a comment on your post), {@code comment_reply} (a reply
     * to your comment), {@code mention}, {@code new_follower}, {@code post_upvotes} or {@code comment_upvotes} (every
     * upvote on one post or comment is one notification, {@code count} of them, as new as the latest).
     */
    public record Notification(UUID id, String type, String content, boolean isRead, Instant createdAt,
                               UUID relatedPostId, UUID relatedCommentId, String actorName, Integer count,
                               AboutPost post) {
    }

    /** {@code GET /notifications}: newest first, by cursor; {@code unreadCount} counts every unread one. */
    public record NotificationPage(boolean success, List<Notification> data, Pagination pagination,
                                   long unreadCount) {
    }

    /** What a read mark would cover now: how many unread notifications, and the time of the newest of them. */
    public record Unread(long count, Instant newest) {
    }

    /** The read mark the gateway asks identity-service to record for the caller. */
    public record MarkRead(@JsonProperty("post_id") @JsonAlias("postId") UUID postId,
                           @JsonProperty("up_to") @JsonAlias("upTo") Instant upTo) {
    }

    /** {@code POST /notifications/read-all} and {@code /read-by-post/{id}}: how many were unread and now are read. */
    public record Marked(boolean success, @JsonProperty("marked_count") long markedCount) {
    }
}
