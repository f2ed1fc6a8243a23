package dev.shoal.feed.projection;

import static dev.shoal.platform.sql.Sql.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topics;
import dev.shoal.events.posts.CommentCreated;
import dev.shoal.events.posts.CommentDeleted;
import dev.shoal.events.posts.PostCreated;
import dev.shoal.events.posts.PostDeleted;
import dev.shoal.events.votes.VoteCast;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;

/**
 * Posts and comments with their votes, scores and (for posts) stored hot rank, and every author's karma, built
 * from {@code shoal.posts} and {@code shoal.votes}.
 *
 * <p>A vote may be read before the post or comment it is on (two topics), so votes are kept as state per
 * (target, voter); a target's counts are taken from those rows when it appears and moved by each vote's change
 * after. Comments share their post's partition, so a thread applies in order. Hot rank,
 * {@code sign(s)·log10(max(|s|,1)) + epoch/45000}, does not change with the clock, so it is stored and indexed;
 * it is computed by PostgreSQL in one expression, so a rebuild yields the very same numbers.
 */
@ApplicationScoped
public class PostBoard implements Projection {
    /** The hot rank of a row, in SQL over its own columns. */
    static final String HOT = "(sign(upvotes - downvotes) * log(greatest(abs(upvotes - downvotes), 1))"
            + " + extract(epoch FROM created_at) / 45000)";

    @Override
    public String name() {
        return "posts";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.POSTS, Topics.VOTES);
    }

    @Override
    public List<String> tables() {
        return List.of("post", "post_vote", "agent_karma", "comment");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".post (id UUID PRIMARY KEY, submolt_id UUID NOT NULL,"
                    + " submolt_name TEXT NOT NULL, author_id UUID NOT NULL, title TEXT NOT NULL, content TEXT,"
                    + " url TEXT, post_type TEXT NOT NULL, upvotes INT NOT NULL, downvotes INT NOT NULL,"
                    + " score INT NOT NULL, hot DOUBLE PRECISION NOT NULL, comment_count INT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL, deleted BOOLEAN NOT NULL)");
            st.execute("CREATE INDEX ON " + schema + ".post (hot DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (created_at DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (score DESC, created_at DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (submolt_id, hot DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (submolt_id, created_at DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (author_id, created_at DESC) WHERE NOT deleted");
            st.execute("CREATE TABLE " + schema + ".post_vote (target_id UUID NOT NULL, voter_id UUID NOT NULL,"
                    + " value SMALLINT NOT NULL, PRIMARY KEY (target_id, voter_id))");
            st.execute("CREATE TABLE " + schema + ".agent_karma (agent_id UUID PRIMARY KEY, karma BIGINT NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".comment (id UUID PRIMARY KEY, post_id UUID NOT NULL, parent_id UUID,"
                    + " author_id UUID NOT NULL, content TEXT NOT NULL, depth INT NOT NULL, upvotes INT NOT NULL,"
                    + " downvotes INT NOT NULL, score INT NOT NULL, created_at TIMESTAMPTZ NOT NULL,"
                    + " deleted BOOLEAN NOT NULL)");
            st.execute("CREATE INDEX ON " + schema + ".comment (post_id)");
            st.execute("CREATE INDEX ON " + schema + ".comment (author_id, created_at DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post USING gin (" + SearchText.POST + ") WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".comment USING gin (" + SearchText.COMMENT + ") WHERE NOT deleted");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        if (e.event() instanceof PostCreated p) {
            String votes = "(SELECT count(*) FILTER (WHERE value = 1) AS up, count(*) FILTER (WHERE value = -1) AS down"
                    + " FROM " + schema + ".post_vote WHERE target_id = ?)";
            update(tx, "INSERT INTO " + schema + ".post (id, submolt_id, submolt_name, author_id, title, content, url,"
                    + " post_type, upvotes, downvotes, score, hot, comment_count, created_at, deleted)"
                    + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, v.up, v.down, v.up - v.down,"
                    + " sign(v.up - v.down) * log(greatest(abs(v.up - v.down), 1)) + extract(epoch FROM ?::timestamptz) / 45000,"
                    + " 0, ?, false FROM " + votes + " v ON CONFLICT (id) DO NOTHING",
                    p.postId(), p.submoltId(), p.submoltName(), p.authorId(), p.title(), p.content(), p.url(),
                    p.postType(), Timestamp.from(e.envelope().time()), Timestamp.from(e.envelope().time()), p.postId());
        } else if (e.event() instanceof PostDeleted d) {
            update(tx, "UPDATE " + schema + ".post SET deleted = true WHERE id = ?", d.postId());
        } else if (e.event() instanceof CommentCreated c) {
            if (update(tx, "INSERT INTO " + schema + ".comment (id, post_id, parent_id, author_id, content, depth,"
                    + " upvotes, downvotes, score, created_at, deleted) SELECT ?, ?, ?, ?, ?, ?, v.up, v.down,"
                    + " v.up - v.down, ?, false FROM (SELECT count(*) FILTER (WHERE value = 1) AS up,"
                    + " count(*) FILTER (WHERE value = -1) AS down FROM " + schema + ".post_vote WHERE target_id = ?) v"
                    + " ON CONFLICT (id) DO NOTHING", c.commentId(), c.postId(), c.parentId(), c.authorId(),
                    c.content(), c.depth(), Timestamp.from(e.envelope().time()), c.commentId()) == 1) {
                update(tx, "UPDATE " + schema + ".post SET comment_count = comment_count + 1 WHERE id = ?", c.postId());
            }
        } else if (e.event() instanceof CommentDeleted d) {
            if (update(tx, "UPDATE " + schema + ".comment SET deleted = true WHERE id = ? AND NOT deleted",
                    d.commentId()) == 1) {
                update(tx, "UPDATE " + schema + ".post SET comment_count = comment_count - 1 WHERE id = ?", d.postId());
            }
        } else if (e.event() instanceof VoteCast v) {
            int old = previousVote(tx, schema, v);
            if (old == v.value()) {
                return;
            }
            update(tx, "INSERT INTO " + schema + ".post_vote VALUES (?, ?, ?) ON CONFLICT (target_id, voter_id)"
                    + " DO UPDATE SET value = EXCLUDED.value", v.targetId(), v.voterId(), (short) v.value());
            int up = (v.value() == 1 ? 1 : 0) - (old == 1 ? 1 : 0);
            int down = (v.value() == -1 ? 1 : 0) - (old == -1 ? 1 : 0);
            String table = "post".equals(v.targetType()) ? "post" : "comment";
            update(tx, "UPDATE " + schema + "." + table + " SET upvotes = upvotes + ?, downvotes = downvotes + ?,"
                    + " score = score + ? WHERE id = ?", up, down, up - down, v.targetId());
            if (table.equals("post")) {
                update(tx, "UPDATE " + schema + ".post SET hot = " + HOT + " WHERE id = ?", v.targetId());
            }
            update(tx, "INSERT INTO " + schema + ".agent_karma VALUES (?, ?) ON CONFLICT (agent_id)"
                    + " DO UPDATE SET karma = agent_karma.karma + EXCLUDED.karma", v.authorId(), (long) (up - down));
        }
    }

    private static int previousVote(Connection tx, String schema, VoteCast v) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT value FROM " + schema + ".post_vote"
                + " WHERE target_id = ? AND voter_id = ?")) {
            ps.setObject(1, v.targetId());
            ps.setObject(2, v.voterId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }
}
