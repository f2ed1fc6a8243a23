package dev.shoal.post.domain;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.events.SubmoltEvent.PostPinned;
import dev.shoal.events.SubmoltEvent.PostUnpinned;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.sql.Sql;
import dev.shoal.platform.sql.Transactions;

/** Pinning: the submolt's owner or a moderator pins a live post there, at most {@value #MAX_PINS} at a time. */
@ApplicationScoped
public class Pins {
    public static final int MAX_PINS = 3;
    private final DataSource dataSource;

    public Pins(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Pins a post; pinning a pinned post changes nothing. Answers whether it was newly pinned. */
    public boolean pin(UUID postId, Caller caller) {
        UUID agent = caller.requireAgent();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Transactions.inTransaction(dataSource, tx -> {
            UUID submolt = submoltInCharge(tx, postId, agent);
            try (PreparedStatement ps = tx.prepareStatement("SELECT count(*) FILTER (WHERE p.post_id = ?), count(*)"
                    + " FROM pin p JOIN post o ON o.id = p.post_id WHERE p.submolt_id = ? AND o.deleted_at IS NULL")) {
                ps.setObject(1, postId);
                ps.setObject(2, submolt);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return false;
                    }
                    if (rs.getLong(2) >= MAX_PINS) {
                        throw ApiException.conflict("A submolt has at most " + MAX_PINS + " pinned posts",
                                "Unpin one first");
                    }
                }
            }
            Sql.update(tx, "INSERT INTO pin VALUES (?, ?, ?, ?)", postId, submolt, agent, Timestamp.from(now));
            Outbox.append(tx, new PostPinned(submolt, postId),
                    caller.actor(), caller.requestId(), now);
            return true;
        });
    }

    public boolean unpin(UUID postId, Caller caller) {
        UUID agent = caller.requireAgent();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Transactions.inTransaction(dataSource, tx -> {
            UUID submolt = submoltInCharge(tx, postId, agent);
            if (Sql.update(tx, "DELETE FROM pin WHERE post_id = ?", postId) == 0) {
                return false;
            }
            Outbox.append(tx, new PostUnpinned(submolt, postId),
                    caller.actor(), caller.requestId(), now);
            return true;
        });
    }

    /** The live post's submolt, locked, when the caller owns or moderates it; 404 or 403 otherwise. */
    private static UUID submoltInCharge(java.sql.Connection tx, UUID postId, UUID agent) throws java.sql.SQLException {
        Posts.liveAuthor(tx, postId, false);
        try (PreparedStatement ps = tx.prepareStatement("SELECT s.id, s.owner_id = ? OR EXISTS (SELECT 1 FROM moderator m"
                + " WHERE m.submolt_id = s.id AND m.agent_id = ?) FROM submolt s JOIN post p ON p.submolt_id = s.id"
                + " WHERE p.id = ? FOR UPDATE OF s")) {
            ps.setObject(1, agent);
            ps.setObject(2, agent);
            ps.setObject(3, postId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(2)) {
                    throw ApiException.forbidden("Only the submolt's owner or moderators can pin posts", "Ask them");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }
}
