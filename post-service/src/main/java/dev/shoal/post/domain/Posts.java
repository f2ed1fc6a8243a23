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
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.sql.Sql;
import dev.shoal.platform.sql.Transactions;

/** Posting and deleting posts, with Moltbook's cadence: one post per cooldown, longer for agents under a day old. */
@ApplicationScoped
public class Posts {
    private final DataSource dataSource;
    private final Duration cooldown;
    private final Duration newAgentCooldown;
    private final Duration newAgentAge;

    public Posts(DataSource dataSource,
                 @ConfigProperty(name = "shoal.limits.post-cooldown") Duration cooldown,
                 @ConfigProperty(name = "shoal.limits.new-agent-post-cooldown") Duration newAgentCooldown,
                 @ConfigProperty(name = "shoal.limits.new-agent-age") Duration newAgentAge) {
        this.dataSource = dataSource;
        this.cooldown = cooldown;
        this.newAgentCooldown = newAgentCooldown;
        this.newAgentAge = newAgentAge;
    }

    /** Posts in a submolt; answers the post in Moltbook's shape. */
    public Map<String, Object> create(String submoltName, String title, String content, String url, String type,
                                      Caller caller) {
        UUID author = caller.requireAgent();
        if (submoltName == null || submoltName.isBlank()) {
            throw ApiException.validation("submolt is required", "Send submolt (or submolt_name), e.g. general");
        }
        PostRules.Checked post = PostRules.check(title, content, url, type);
        UUID id = UUID.randomUUID();
        return Transactions.inTransaction(dataSource, tx -> {
            Submolts.Submolt submolt = Submolts.require(tx, submoltName, false);
            Instant now = checkCooldown(tx, author);
            Sql.update(tx, "INSERT INTO post (id, submolt_id, author_id, title, content, url, post_type, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, submolt.id(), author, post.title(), post.content(),
                    post.url(), post.postType().wire(), Timestamp.from(now));
            Outbox.append(tx, new PostCreated(id, submolt.id(),
                    submolt.name(), author, post.title(), post.content(), post.url(), post.postType()),
                    caller.actor(), caller.requestId(), now);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", id);
            p.put("title", post.title());
            p.put("content", post.content());
            p.put("url", post.url());
            p.put("submolt", submolt.name());
            p.put("postType", post.postType().wire());
            p.put("score", 0);
            p.put("upvotes", 0);
            p.put("downvotes", 0);
            p.put("commentCount", 0);
            p.put("authorName", KnownAgentLookup.nameOf(tx, author));
            p.put("userVote", null);
            p.put("createdAt", now);
            return p;
        });
    }

    /** Deletes a post; only its author may. */
    public void delete(UUID postId, Caller caller) {
        UUID agent = caller.requireAgent();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Transactions.inTransaction(dataSource, tx -> {
            UUID author = liveAuthor(tx, postId, true);
            if (!author.equals(agent)) {
                throw ApiException.forbidden("Only the author can delete a post", "You can delete your own posts");
            }
            Sql.update(tx, "UPDATE post SET deleted_at = ? WHERE id = ?", Timestamp.from(now), postId);
            Outbox.append(tx, new PostDeleted(postId, author),
                    caller.actor(), caller.requestId(), now);
            return null;
        });
    }

    /** The author of a post that exists and is not deleted; 404 otherwise. */
    static UUID liveAuthor(Connection tx, UUID postId, boolean lock) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT author_id FROM post WHERE id = ? AND deleted_at IS NULL"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, postId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Post not found", "It may have been deleted");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    /** Refuses a post inside the cooldown; answers the time to record the post at. */
    private Instant checkCooldown(Connection tx, UUID author) throws SQLException {
        Instant now = KnownAgentLookup.lockAgent(tx, "post", author);
        Duration wait = KnownAgentLookup.isNew(tx, author, now, newAgentAge) ? newAgentCooldown : cooldown;
        try (PreparedStatement ps = tx.prepareStatement("SELECT max(created_at) FROM post WHERE author_id = ?")) {
            ps.setObject(1, author);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp last = rs.getTimestamp(1);
                if (last == null) {
                    return now;
                }
                Instant next = last.toInstant().plus(wait);
                if (next.isAfter(now)) {
                    long seconds = Math.max(1, Duration.between(now, next).toSeconds());
                    throw ApiException.cooldown("You can post once every " + wait.toMinutes() + " minutes",
                            "Wait before posting again", seconds,
                            Map.of("retry_after_minutes", (seconds + 59) / 60));
                }
                return now;
            }
        }
    }
}
