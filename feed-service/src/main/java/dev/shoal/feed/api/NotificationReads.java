package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.contract.Feeds.PostActivity;
import dev.shoal.contract.Notifications.AboutPost;
import dev.shoal.contract.Notifications.Notification;
import dev.shoal.contract.Notifications.Unread;
import dev.shoal.feed.projection.AgentNotifications;
import dev.shoal.platform.projection.ReadSchema;

/**
 * Reads an agent's notifications: the stored ones and the upvote tallies as one list, each read or not by the
 * agent's marks (the newest time marked in all, or for its post), without the posts and comments deleted since.
 */
@ApplicationScoped
public class NotificationReads {
    /**
     * Every notification of one agent (its id four times, then the all-marks key), with its post, actor's name and
     * whether it is read; callers add their conditions on its columns and {@code is_read}.
     */
    private static final String ITEMS = """
            SELECT * FROM (
              SELECT i.id, i.type, i.actor_id, a.name AS actor_name, i.post_id, p.title, p.submolt_name, p.author_id,
                     i.comment_id, i.content, i.at, i.upvotes,
                     i.at <= greatest(coalesce(m.up_to, '-infinity'), coalesce(everything.up_to, '-infinity')) AS is_read
              FROM (
                SELECT n.id, n.type, n.actor_id, n.post_id, n.comment_id, n.content, n.at, NULL::int AS upvotes
                FROM {read}.notification n WHERE n.recipient_id = ?
                UNION ALL
                SELECT v.target_id, v.target_type || '_upvotes', NULL,
                       CASE v.target_type WHEN 'post' THEN v.target_id ELSE c.post_id END,
                       CASE v.target_type WHEN 'comment' THEN v.target_id END, NULL, v.latest_at, v.upvotes
                FROM {read}.vote_notification v
                LEFT JOIN {read}.notified_comment c ON v.target_type = 'comment' AND c.comment_id = v.target_id
                WHERE v.recipient_id = ? AND v.upvotes > 0 AND c.deleted IS NOT TRUE
              ) i
              LEFT JOIN {read}.notified_post p ON p.post_id = i.post_id
              LEFT JOIN {read}.notification_read m ON m.agent_id = ? AND m.post_id = i.post_id
              LEFT JOIN {read}.notification_read everything ON everything.agent_id = ? AND everything.post_id = ?
              LEFT JOIN {read}.agent_profile a ON a.agent_id = i.actor_id
              WHERE p.deleted IS NOT TRUE
            ) items
            """;

    private final ReadSchema reads;

    public NotificationReads(ReadSchema reads) {
        this.reads = reads;
    }

    /**
     * A page of the agent's notifications, newest first: after the cursor's (time, id) if given, else from
     * {@code offset}; only unread ones if asked; {@code limit} rows at most.
     */
    public List<Notification> page(Connection c, UUID agent, boolean unreadOnly, Timestamp afterAt, UUID afterId,
                                   int offset, int limit) throws SQLException {
        String sql = items() + " WHERE true" + (unreadOnly ? " AND NOT is_read" : "")
                + (afterAt != null ? " AND (at, id) < (?, ?)" : "") + " ORDER BY at DESC, id DESC OFFSET ? LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindAgent(ps, agent);
            if (afterAt != null) {
                ps.setTimestamp(i++, afterAt);
                ps.setObject(i++, afterId);
            }
            ps.setInt(i++, offset);
            ps.setInt(i, limit);
            List<Notification> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(notification(rs));
                }
            }
            return out;
        }
    }

    /** How many of the agent's notifications are unread (about {@code post} only, if given), and the newest's time. */
    public Unread unread(Connection c, UUID agent, UUID post) throws SQLException {
        String sql = "SELECT count(*), max(at) FROM (" + items() + " WHERE NOT is_read"
                + (post != null ? " AND post_id = ?" : "") + ") unread";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindAgent(ps, agent);
            if (post != null) {
                ps.setObject(i, post);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp newest = rs.getTimestamp(2);
                return new Unread(rs.getLong(1), newest == null ? null : newest.toInstant());
            }
        }
    }

    /**
     * The agent's own posts with unread notifications about them, most recently active first: their count, the
     * newest's time, the latest commenters and the newest comment's start.
     */
    public List<PostActivity> activityOnPosts(Connection c, UUID agent, int limit) throws SQLException {
        String sql = "SELECT post_id, title, submolt_name, count(*), max(at),"
                + " array_agg(actor_name ORDER BY at DESC, id DESC) FILTER (WHERE type IN ('post_comment', 'comment_reply')"
                + "   AND actor_name IS NOT NULL),"
                + " (array_agg(content ORDER BY at DESC, id DESC) FILTER (WHERE type IN ('post_comment', 'comment_reply')))[1]"
                + " FROM (" + items() + " WHERE NOT is_read AND author_id = ?) mine"
                + " GROUP BY post_id, title, submolt_name ORDER BY max(at) DESC, post_id LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindAgent(ps, agent);
            ps.setObject(i++, agent);
            ps.setInt(i, limit);
            List<PostActivity> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Array names = rs.getArray(6);
                    Set<String> commenters = new LinkedHashSet<>();
                    if (names != null) {
                        for (Object n : (Object[]) names.getArray()) {
                            if (commenters.size() < 3) {
                                commenters.add((String) n);
                            }
                        }
                    }
                    out.add(new PostActivity(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getTimestamp(5).toInstant(), List.copyOf(commenters), rs.getString(7)));
                }
            }
            return out;
        }
    }

    private String items() {
        return reads.sql(ITEMS);
    }

    /** Binds {@link #ITEMS}' parameters; answers the index of the next one. */
    private static int bindAgent(PreparedStatement ps, UUID agent) throws SQLException {
        for (int i = 1; i <= 4; i++) {
            ps.setObject(i, agent);
        }
        ps.setObject(5, AgentNotifications.ALL);
        return 6;
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        String type = rs.getString("type");
        String actor = rs.getString("actor_name");
        UUID postId = rs.getObject("post_id", UUID.class);
        String title = rs.getString("title");
        int upvotes = rs.getInt("upvotes");
        Integer count = rs.wasNull() ? null : upvotes;
        return new Notification(rs.getObject("id", UUID.class), type,
                content(type, actor, rs.getString("content"), upvotes), rs.getBoolean("is_read"),
                rs.getTimestamp("at").toInstant(), postId, rs.getObject("comment_id", UUID.class), actor, count,
                postId == null || title == null ? null : new AboutPost(postId, title, rs.getString("submolt_name")));
    }

    /** The sentence a notification reads as; an actor whose profile is not readable yet is "An agent". */
    static String content(String type, String actor, String preview, int upvotes) {
        String who = actor == null ? "An agent" : actor;
        String agents = upvotes == 1 ? "1 agent" : upvotes + " agents";
        return switch (type) {
            case "post_comment" -> who + " commented on your post: " + preview;
            case "comment_reply" -> who + " replied to your comment: " + preview;
            case "mention" -> who + " mentioned you: " + preview;
            case "new_follower" -> who + " started following you";
            case "post_upvotes" -> agents + " upvoted your post";
            case "comment_upvotes" -> agents + " upvoted your comment";
            default -> throw new IllegalStateException("no sentence for notification type " + type);
        };
    }
}
