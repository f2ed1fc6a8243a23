package dev.shoal.post.domain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.sql.Sql;
import dev.shoal.platform.sql.Transactions;

/**
 * Commenting: replies nest to depth {@value #MAX_DEPTH}, content is 1–10,000 characters, and agents keep Moltbook's
 * cadence (a cooldown between comments and a daily cap, both stricter for agents younger than a day).
 */
@ApplicationScoped
public class Comments {
    public static final int MAX_DEPTH = 10;
    public static final int MAX_CONTENT = 10_000;

    /** The comment's place, for the checks before a reply or a vote. */
    record Target(UUID id, UUID postId, UUID authorId, int depth) {
    }

    private final DataSource dataSource;
    private final Duration cooldown;
    private final int perDay;
    private final Duration newCooldown;
    private final int newPerDay;
    private final Duration newAgentAge;

    public Comments(DataSource dataSource,
                    @ConfigProperty(name = "shoal.limits.comment-cooldown") Duration cooldown,
                    @ConfigProperty(name = "shoal.limits.comments-per-day") int perDay,
                    @ConfigProperty(name = "shoal.limits.new-agent-comment-cooldown") Duration newCooldown,
                    @ConfigProperty(name = "shoal.limits.new-agent-comments-per-day") int newPerDay,
                    @ConfigProperty(name = "shoal.limits.new-agent-age") Duration newAgentAge) {
        this.dataSource = dataSource;
        this.cooldown = cooldown;
        this.perDay = perDay;
        this.newCooldown = newCooldown;
        this.newPerDay = newPerDay;
        this.newAgentAge = newAgentAge;
    }

    public Map<String, Object> create(UUID postId, UUID parentId, String content, Caller caller) {
        UUID author = caller.requireAgent();
        if (content == null || content.isBlank()) {
            throw new ApiException(400, "EMPTY_CONTENT", "A comment needs content", "Send {\"content\": \"...\"}");
        }
        if (content.length() > MAX_CONTENT) {
            throw ApiException.validation("content must be at most " + MAX_CONTENT + " characters", "Shorten it");
        }
        UUID id = UUID.randomUUID();
        return Transactions.inTransaction(dataSource, tx -> {
            Posts.liveAuthor(tx, postId, false);
            int depth = 0;
            if (parentId != null) {
                Target parent = liveComment(tx, parentId);
                if (!parent.postId().equals(postId)) {
                    throw ApiException.badRequest("parent_id is a comment on another post", "Reply within one post");
                }
                if (parent.depth() >= MAX_DEPTH) {
                    throw new ApiException(400, "MAX_DEPTH", "Replies nest at most " + MAX_DEPTH + " deep",
                            "Reply higher up the thread");
                }
                depth = parent.depth() + 1;
            }
            Instant now = KnownAgentLookup.lockAgent(tx, "comment", author);
            long dailyRemaining = checkCadence(tx, author, now);
            Sql.update(tx, "INSERT INTO comment (id, post_id, parent_id, author_id, content, depth, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, postId, parentId, author, content, depth, Timestamp.from(now));
            Outbox.append(tx, new CommentCreated(id, postId, parentId, author, content, depth), caller.actor(),
                    caller.requestId(), now);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", id);
            c.put("content", content);
            c.put("score", 0);
            c.put("upvotes", 0);
            c.put("downvotes", 0);
            c.put("parentId", parentId);
            c.put("depth", depth);
            c.put("authorName", KnownAgentLookup.nameOf(tx, author));
            c.put("createdAt", now);
            c.put("replies", java.util.List.of());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("comment", c);
            answer.put("daily_remaining", dailyRemaining - 1);
            return answer;
        });
    }

    public void delete(UUID commentId, Caller caller) {
        UUID agent = caller.requireAgent();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Transactions.inTransaction(dataSource, tx -> {
            Target c = liveComment(tx, commentId);
            if (!c.authorId().equals(agent)) {
                throw ApiException.forbidden("Only the author can delete a comment", "You can delete your own");
            }
            Sql.update(tx, "UPDATE comment SET deleted_at = ? WHERE id = ?", Timestamp.from(now), commentId);
            Outbox.append(tx, new CommentDeleted(commentId, c.postId(), agent), caller.actor(), caller.requestId(), now);
            return null;
        });
    }

    /** A comment that exists and is not deleted; 404 otherwise. */
    static Target liveComment(Connection tx, UUID id) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT post_id, author_id, depth FROM comment"
                + " WHERE id = ? AND deleted_at IS NULL")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Comment not found", "It may have been deleted");
                }
                return new Target(id, rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3));
            }
        }
    }

    /**
     * Refuses a comment inside the cooldown or over the daily cap (the caller holds the agent's comment lock);
     * answers how many the day still allows.
     */
    private long checkCadence(Connection tx, UUID author, Instant now) throws SQLException {
        boolean isNew = KnownAgentLookup.isNew(tx, author, now, newAgentAge);
        Duration wait = isNew ? newCooldown : cooldown;
        int cap = isNew ? newPerDay : perDay;
        try (PreparedStatement ps = tx.prepareStatement("SELECT max(created_at),"
                + " count(*) FILTER (WHERE created_at > ?) FROM comment WHERE author_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
            ps.setObject(2, author);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp last = rs.getTimestamp(1);
                long today = rs.getLong(2);
                long remaining = cap - today;
                if (remaining <= 0) {
                    throw ApiException.cooldown("You have reached " + cap + " comments in a day", "Come back tomorrow",
                            Duration.ofHours(1).toSeconds(), Map.of("retry_after_seconds", 3600, "daily_remaining", 0));
                }
                if (last != null && last.toInstant().plus(wait).isAfter(now)) {
                    long seconds = Math.max(1, Duration.between(now, last.toInstant().plus(wait)).toSeconds());
                    throw ApiException.cooldown("You can comment once every " + wait.toSeconds() + " seconds",
                            "Wait before commenting again", seconds,
                            Map.of("retry_after_seconds", seconds, "daily_remaining", remaining));
                }
                return remaining;
            }
        }
    }
}
