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
 * agent's marks (the newest time marked in all, or for its post), without the upvotes on what was deleted since
 * (the other notifications about it are deleted with it), and without what quotes or counts a post or comment that
 * is hidden now (by moderation, or until its challenge is solved).
 *
 * <p>Each of the two sources is filtered, ordered and limited on its own index ({@code (recipient_id, at DESC, id
 * DESC)}) before they are merged, and an unread count looks only at what is newer than the agent's mark of all, so
 * a read costs what it shows rather than the agent's whole history.
 */
@ApplicationScoped
public class NotificationReads {
    private final ReadSchema reads;

    public NotificationReads(ReadSchema reads) {
        this.reads = reads;
    }

    /** A statement being built with its parameters, so that each lands in the place its {@code ?} is. */
    private static final class Query {
        final StringBuilder sql = new StringBuilder();
        final List<Object> params = new ArrayList<>();

        Query add(String part, Object... values) {
            sql.append(part);
            params.addAll(List.of(values));
            return this;
        }

        PreparedStatement prepare(Connection c, ReadSchema reads) throws SQLException {
            PreparedStatement ps = c.prepareStatement(reads.sql(sql.toString()));
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            return ps;
        }
    }

    /**
     * The agent's notifications as rows of {@code (id, type, actor_id, post_id, comment_id, content, at, upvotes,
     * is_read)}: only unread ones if asked, only before {@code (afterAt, afterId)} if given, and at most
     * {@code limit} from each source if given (the caller orders and limits the merge).
     */
    private static Query items(UUID agent, boolean unreadOnly, Timestamp afterAt, UUID afterId, Integer limit) {
        Query q = new Query();
        q.add("SELECT * FROM (SELECT n.id, n.type, n.actor_id, n.post_id, n.comment_id, n.content, n.at,"
                + " NULL::int AS upvotes, n.at <= greatest(e.up_to, coalesce(m.up_to, '-infinity')) AS is_read");
        q.add(" FROM {read}.notification n");
        marks(q, agent, "n.post_id");
        // what moderation hid, or what waits for its challenge, is not quoted (it is again once shown)
        q.add(" WHERE n.recipient_id = ? AND NOT EXISTS (SELECT 1 FROM {read}.hidden_content h"
                + " WHERE h.target_id = coalesce(n.comment_id, n.post_id)) AND NOT EXISTS (SELECT 1 FROM"
                + " {read}.pending_content w WHERE w.target_id = coalesce(n.comment_id, n.post_id))", agent);
        where(q, "n.at", "n.id", unreadOnly, afterAt, afterId, limit);
        q.add(") stored UNION ALL SELECT * FROM (SELECT v.target_id, v.target_type || '_upvotes', NULL::uuid,"
                + " p.post_id, CASE v.target_type WHEN 'comment' THEN v.target_id END, NULL::text, v.latest_at, v.upvotes,"
                + " v.latest_at <= greatest(e.up_to, coalesce(m.up_to, '-infinity'))");
        q.add(" FROM {read}.vote_notification v LEFT JOIN {read}.notified_comment c ON v.target_type = 'comment'"
                + " AND c.comment_id = v.target_id LEFT JOIN {read}.notified_post p ON p.post_id = CASE v.target_type"
                + " WHEN 'post' THEN v.target_id ELSE c.post_id END");
        marks(q, agent, "p.post_id");
        q.add(" WHERE v.recipient_id = ? AND v.upvotes > 0 AND c.deleted IS NOT TRUE AND p.deleted IS NOT TRUE"
                + " AND NOT EXISTS (SELECT 1 FROM {read}.hidden_content h WHERE h.target_id = v.target_id)"
                + " AND NOT EXISTS (SELECT 1 FROM {read}.pending_content w WHERE w.target_id = v.target_id)", agent);
        where(q, "v.latest_at", "v.target_id", unreadOnly, afterAt, afterId, limit);
        return q.add(") tallies");
    }

    /** Joins {@code e} (the agent's mark of all) and {@code m} (its mark of the row's post). */
    private static void marks(Query q, UUID agent, String postColumn) {
        q.add(" CROSS JOIN (SELECT coalesce(max(up_to), '-infinity') AS up_to FROM {read}.notification_read"
                + " WHERE agent_id = ? AND post_id = ?) e", agent, AgentNotifications.ALL);
        q.add(" LEFT JOIN {read}.notification_read m ON m.agent_id = ? AND m.post_id = " + postColumn, agent);
    }

    private static void where(Query q, String at, String id, boolean unreadOnly, Timestamp afterAt, UUID afterId,
                              Integer limit) {
        if (unreadOnly) {
            // Newer than the mark of all is what the index narrows to; newer than the post's mark too is unread.
            q.add(" AND " + at + " > e.up_to AND " + at + " > coalesce(m.up_to, '-infinity')");
        }
        if (afterAt != null) {
            q.add(" AND (" + at + ", " + id + ") < (?, ?)", afterAt, afterId);
        }
        if (limit != null) {
            q.add(" ORDER BY " + at + " DESC, " + id + " DESC LIMIT ?", limit);
        }
    }

    /**
     * A page of the agent's notifications, newest first: after the cursor's (time, id) if given, else from
     * {@code offset}; only unread ones if asked; {@code limit} rows at most.
     */
    public List<Notification> page(Connection c, UUID agent, boolean unreadOnly, Timestamp afterAt, UUID afterId,
                                   int offset, int limit) throws SQLException {
        Query q = new Query().add("SELECT i.*, a.name AS actor_name, p.title, p.submolt_name FROM (");
        Query items = items(agent, unreadOnly, afterAt, afterId, offset + limit);
        q.add(items.sql.toString(), items.params.toArray());
        q.add(") i LEFT JOIN {read}.notified_post p ON p.post_id = i.post_id"
                + " LEFT JOIN {read}.agent_profile a ON a.agent_id = i.actor_id"
                + " ORDER BY i.at DESC, i.id DESC OFFSET ? LIMIT ?", offset, limit);
        try (PreparedStatement ps = q.prepare(c, reads); ResultSet rs = ps.executeQuery()) {
            List<Notification> out = new ArrayList<>();
            while (rs.next()) {
                out.add(notification(rs));
            }
            return out;
        }
    }

    /** How many of the agent's notifications are unread (about {@code post} only, if given), and the newest's time. */
    public Unread unread(Connection c, UUID agent, UUID post) throws SQLException {
        Query q = new Query().add("SELECT count(*), max(at) FROM (");
        Query items = items(agent, true, null, null, null);
        q.add(items.sql.toString(), items.params.toArray());
        q.add(") i");
        if (post != null) {
            q.add(" WHERE i.post_id = ?", post);
        }
        try (PreparedStatement ps = q.prepare(c, reads); ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp newest = rs.getTimestamp(2);
            return new Unread(rs.getLong(1), newest == null ? null : newest.toInstant());
        }
    }

    /**
     * The agent's own posts with unread notifications about them, most recently active first: their count, the
     * newest's time, the latest commenters and the newest comment's start.
     */
    public List<PostActivity> activityOnPosts(Connection c, UUID agent, int limit) throws SQLException {
        Query q = new Query().add("SELECT i.post_id, p.title, p.submolt_name, count(*), max(i.at),"
                + " array_agg(a.name ORDER BY i.at DESC, i.id DESC) FILTER (WHERE i.type IN ('post_comment',"
                + " 'comment_reply') AND a.name IS NOT NULL),"
                + " (array_agg(i.content ORDER BY i.at DESC, i.id DESC) FILTER (WHERE i.type IN ('post_comment',"
                + " 'comment_reply')))[1] FROM (");
        Query items = items(agent, true, null, null, null);
        q.add(items.sql.toString(), items.params.toArray());
        q.add(") i JOIN {read}.notified_post p ON p.post_id = i.post_id AND p.author_id = ?"
                + " LEFT JOIN {read}.agent_profile a ON a.agent_id = i.actor_id"
                + " GROUP BY i.post_id, p.title, p.submolt_name ORDER BY max(i.at) DESC, i.post_id LIMIT ?", agent, limit);
        try (PreparedStatement ps = q.prepare(c, reads); ResultSet rs = ps.executeQuery()) {
            List<PostActivity> out = new ArrayList<>();
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
                out.add(new PostActivity(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getTimestamp(5).toInstant(), List.copyOf(commenters), rs.getString(7)));
            }
            return out;
        }
    }

    /**
     * Makes the transaction's reads one snapshot (its first statement), so a page and its unread count agree even
     * while the projection commits between them.
     */
    public static void oneSnapshot(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
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
