package dev.shoal.post.domain;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.sql.Sql;
import dev.shoal.platform.sql.Transactions;

/**
 * Votes: the same way again removes the vote, the other way flips it, never on one's own content. One vote per
 * agent and target whatever the concurrency: each vote action locks that (target, voter) row, so parallel actions
 * run one after another, and the event carries the vote's new state.
 */
@ApplicationScoped
public class Votes {
    private final DataSource dataSource;

    public Votes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @param direction 1 for upvote, -1 for downvote */
    public Map<String, Object> vote(VoteEvent.Target type, UUID targetId, int direction, Caller caller) {
        UUID voter = caller.requireAgent();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String kind = type.name().toLowerCase();
        return Transactions.inTransaction(dataSource, tx -> {
            UUID author = type == VoteEvent.Target.POST ? Posts.liveAuthor(tx, targetId, false)
                    : Comments.liveComment(tx, targetId).authorId();
            if (author.equals(voter)) {
                throw new ApiException(400, "SELF_VOTE", "You cannot vote on your own " + kind,
                        "Vote on others' " + kind + "s");
            }
            Sql.update(tx, "INSERT INTO vote VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING", targetId, voter, kind,
                    Timestamp.from(now));
            int old;
            try (PreparedStatement ps = tx.prepareStatement(
                    "SELECT value FROM vote WHERE target_id = ? AND voter_id = ? FOR UPDATE")) {
                ps.setObject(1, targetId);
                ps.setObject(2, voter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    old = rs.getInt(1);
                }
            }
            int value = old == direction ? 0 : direction;
            Sql.update(tx, "UPDATE vote SET value = ?, updated_at = ? WHERE target_id = ? AND voter_id = ?",
                    (short) value, Timestamp.from(now), targetId, voter);
            Outbox.append(tx, new VoteCast(type, targetId, voter, author, value), caller.actor(), caller.requestId(), now);
            String action = value == 0 ? "removed" : old == 0 ? (value > 0 ? "upvoted" : "downvoted") : "changed";
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("message", switch (action) {
                case "removed" -> "Vote removed";
                case "changed" -> "Vote changed";
                default -> value > 0 ? "Upvoted" : "Downvoted";
            });
            answer.put("action", action);
            Map<String, Object> authorView = new LinkedHashMap<>();
            authorView.put("name", KnownAgentLookup.nameOf(tx, author));
            answer.put("author", authorView);
            return answer;
        });
    }
}
