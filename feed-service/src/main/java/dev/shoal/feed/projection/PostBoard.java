package dev.shoal.feed.projection;

import static dev.shoal.platform.sql.Sql.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topic;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.events.VoteEvent.VoteCast;
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
 *
 * <p>Moderation ({@code shoal.moderation}) hides and restores posts and comments, and downranks posts (their hot
 * rank lowered, {@code post.downrank}); content waiting for its author to solve a verification challenge is hidden
 * until it is solved. {@code deleted} is what readers
 * filter on: deleted by the author ({@code author_deleted}) or hidden ({@code hidden}). A decision may be read
 * before the content it is about, so hidden targets are kept in {@code hidden_content} and new rows start hidden
 * when they are listed there. A post's {@code comment_count} counts the comments that are neither.
 *
 * <p>A vote ring's votes do not count: a {@code vote-ring} downrank names a ring member and a post it upvoted, and
 * that member's vote on the post leaves the post's counts, score and hot rank and its author's karma
 * ({@code discounted_vote}) until the decision is reversed. The vote itself stays stored, so a reversal, or a vote
 * read after the decision, counts exactly what it should.
 */
@ApplicationScoped
public class PostBoard implements Projection {
    @Override
    public String name() {
        return "posts";
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.POSTS, Topic.VOTES, Topic.MODERATION);
    }

    /**
     * 2: moderation hides and restores ({@code hidden}, {@code author_deleted}, {@code hidden_content}); 3: content
     * waiting for a verification challenge is hidden too ({@code hidden_content.reason}); 4: downranked posts
     * ({@code downranked_content}, {@code post.downrank}); 5: a vote ring's votes do not count
     * ({@code discounted_vote}, {@code post_vote.author_id}); 6: posts' search documents in a table of their own
     * ({@code post_search}), not an index over the post's columns.
     */
    @Override
    public int codeVersion() {
        return 6;
    }

    /** The rule whose downranks also take the voter's vote out of the counts: what a ring pushed is taken back. */
    static final String VOTE_RING = "vote-ring";

    /**
     * How much a downranked post's hot rank is lowered: two tenfolds of score, as if it had a hundredth of its votes
     * (or were 25 hours older).
     */
    static final double DOWNRANK = 2.0;

    @Override
    public List<String> tables() {
        return List.of("post", "post_search", "post_vote", "agent_karma", "comment", "hidden_content",
                "downranked_content", "rank_restored", "discounted_vote");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".post (id UUID PRIMARY KEY, submolt_id UUID NOT NULL,"
                    + " submolt_name TEXT NOT NULL, author_id UUID NOT NULL, title TEXT NOT NULL, content TEXT,"
                    + " url TEXT, post_type TEXT NOT NULL, upvotes INT NOT NULL, downvotes INT NOT NULL,"
                    + " score INT NOT NULL, hot DOUBLE PRECISION NOT NULL, comment_count INT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL, deleted BOOLEAN NOT NULL, author_deleted BOOLEAN NOT NULL,"
                    + " hidden BOOLEAN NOT NULL, downrank DOUBLE PRECISION NOT NULL DEFAULT 0)");
            // A post's search document, apart from its counts: a vote moves the post's ranks, so its row is
            // rewritten with every index entry, and a text index on the post itself was recomputed each time
            // (two thirds of such an update's cost, measured).
            st.execute("CREATE TABLE " + schema + ".post_search (id UUID PRIMARY KEY, document TSVECTOR NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".post_vote (target_id UUID NOT NULL, voter_id UUID NOT NULL,"
                    + " value SMALLINT NOT NULL, author_id UUID NOT NULL, PRIMARY KEY (target_id, voter_id))");
            st.execute("CREATE TABLE " + schema + ".agent_karma (agent_id UUID PRIMARY KEY, karma BIGINT NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".comment (id UUID PRIMARY KEY, post_id UUID NOT NULL, parent_id UUID,"
                    + " author_id UUID NOT NULL, content TEXT NOT NULL, depth INT NOT NULL, upvotes INT NOT NULL,"
                    + " downvotes INT NOT NULL, score INT NOT NULL, created_at TIMESTAMPTZ NOT NULL,"
                    + " deleted BOOLEAN NOT NULL, author_deleted BOOLEAN NOT NULL, hidden BOOLEAN NOT NULL)");
            // Why each target is hidden: a moderation decision ('moderation') or a challenge not yet solved
            // ('verification'). It is hidden while it has a reason.
            st.execute("CREATE TABLE " + schema + ".hidden_content (target_id UUID NOT NULL, reason TEXT NOT NULL,"
                    + " PRIMARY KEY (target_id, reason))");
            // the decisions downranking each post now (kept for posts that arrive after them, and for their
            // reversal); a post is downranked while it has one, whatever order they arrived in
            st.execute("CREATE TABLE " + schema + ".downranked_content (target_id UUID NOT NULL,"
                    + " decision_id UUID NOT NULL, PRIMARY KEY (target_id, decision_id))");
            // downranks taken back: a vote ring's downrank is on the voter's stream and a moderator's restore of it on
            // the author's, two partitions, so the restore may be read first (a rebuild reads them in another order)
            st.execute("CREATE TABLE " + schema + ".rank_restored (decision_id UUID PRIMARY KEY)");
            // the votes that do not count, each by the vote-ring decisions in force against it (kept for votes read
            // after the decision, and for its reversal); a vote counts when it has none
            st.execute("CREATE TABLE " + schema + ".discounted_vote (target_id UUID NOT NULL, voter_id UUID NOT NULL,"
                    + " decision_id UUID NOT NULL, PRIMARY KEY (target_id, voter_id, decision_id))");
            st.execute("CREATE INDEX ON " + schema + ".discounted_vote (decision_id)");
        }
    }

    /** Feed orders, per-author lists and full-text search; applying events needs only the primary keys. */
    @Override
    public void createIndexes(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE INDEX ON " + schema + ".post (hot DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (created_at DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (score DESC, created_at DESC, id DESC) WHERE NOT deleted");
            // submolt feeds select by name (the name in the URL; names never change)
            st.execute("CREATE INDEX ON " + schema + ".post (submolt_name, hot DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (submolt_name, created_at DESC, id DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (submolt_name, score DESC, created_at DESC, id DESC)"
                    + " WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post (author_id, created_at DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".comment (post_id)");
            st.execute("CREATE INDEX ON " + schema + ".comment (author_id, created_at DESC) WHERE NOT deleted");
            st.execute("CREATE INDEX ON " + schema + ".post_search USING gin (document)");
            st.execute("CREATE INDEX ON " + schema + ".comment USING gin (" + SearchText.COMMENT + ") WHERE NOT deleted");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        applyBatch(tx, schema, List.of(e));
    }

    /**
     * Folds a poll's events and writes them with a few set-based statements. The phases (posts created, comments
     * created and deleted, posts deleted, votes) give the rows one-by-one application would: a post's own events
     * share a partition and only move forward (created, then commented, then deleted), and a vote's effect does not
     * depend on when its target appears (see the class comment). Votes are folded to each (target, voter)'s last
     * state in the poll, compared with the stored one, and only the differences move counts and karma.
     */
    @Override
    public void applyBatch(Connection tx, String schema, List<ProjectedEvent> events) throws SQLException {
        List<ProjectedEvent> postsCreated = new ArrayList<>();
        List<ProjectedEvent> commentsCreated = new ArrayList<>();
        List<UUID> commentsDeleted = new ArrayList<>();
        List<UUID> postsDeleted = new ArrayList<>();
        Map<List<UUID>, VoteCast> lastVotes = new LinkedHashMap<>();
        List<Hiding> hidings = new ArrayList<>();
        List<ModerationEvent> rankings = new ArrayList<>();
        for (ProjectedEvent e : events) {
            if (e.event() instanceof PostCreated) {
                postsCreated.add(e);
            } else if (e.event() instanceof CommentCreated) {
                commentsCreated.add(e);
            } else if (e.event() instanceof CommentDeleted d) {
                commentsDeleted.add(d.commentId());
            } else if (e.event() instanceof PostDeleted d) {
                postsDeleted.add(d.postId());
            } else if (e.event() instanceof VoteCast v) {
                lastVotes.put(List.of(v.targetId(), v.voterId()), v);
            } else if (e.event() instanceof ContentHidden h) {
                hidings.add(new Hiding(h.targetId(), h.targetType(), MODERATION, true));
            } else if (e.event() instanceof ContentRestored r) {
                hidings.add(new Hiding(r.targetId(), r.targetType(), MODERATION, false));
            } else if (e.event() instanceof ContentChallenged c) {
                hidings.add(new Hiding(c.targetId(), c.targetType(), VERIFICATION, true));
            } else if (e.event() instanceof ChallengePassed p) {
                hidings.add(new Hiding(p.targetId(), p.targetType(), VERIFICATION, false));
            } else if (e.event() instanceof ModerationEvent.ContentDownranked d) {
                rankings.add(d);
            } else if (e.event() instanceof ModerationEvent.ContentRankRestored r) {
                rankings.add(r);
            }
        }
        insertPosts(tx, schema, postsCreated);
        Map<UUID, Integer> commentDelta = new HashMap<>();
        for (UUID postId : insertComments(tx, schema, commentsCreated)) {
            commentDelta.merge(postId, 1, Integer::sum);
        }
        if (!commentsDeleted.isEmpty()) {
            // A hidden comment was not counted: its author deleting it changes no count.
            try (PreparedStatement ps = tx.prepareStatement("UPDATE " + schema + ".comment SET deleted = true,"
                    + " author_deleted = true WHERE id = ANY(?) AND NOT author_deleted RETURNING post_id, hidden")) {
                ps.setArray(1, tx.createArrayOf("uuid", commentsDeleted.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!rs.getBoolean(2)) {
                            commentDelta.merge(rs.getObject(1, UUID.class), -1, Integer::sum);
                        }
                    }
                }
            }
        }
        if (!commentDelta.isEmpty()) {
            update(tx, "UPDATE " + schema + ".post p SET comment_count = p.comment_count + d.n"
                    + " FROM unnest(?::uuid[], ?::int[]) d(id, n) WHERE p.id = d.id",
                    tx.createArrayOf("uuid", commentDelta.keySet().toArray()),
                    tx.createArrayOf("int4", commentDelta.values().toArray()));
        }
        if (!postsDeleted.isEmpty()) {
            update(tx, "UPDATE " + schema + ".post SET deleted = true, author_deleted = true WHERE id = ANY(?)",
                    tx.createArrayOf("uuid", postsDeleted.toArray()));
        }
        applyVotes(tx, schema, lastVotes.values());
        for (Hiding h : hidings) {
            hide(tx, schema, h);
        }
        for (ModerationEvent r : rankings) {
            rank(tx, schema, r);
        }
    }

    /**
     * Downranks a post (its hot rank lowered by {@link #DOWNRANK}, kept in {@code post.downrank} so votes after it
     * keep it lowered) while any decision downranking it is in force; a rank restore takes back the one it reverses.
     */
    private void rank(Connection tx, String schema, ModerationEvent r) throws SQLException {
        // hot is always computed from the votes, the time and the downrank, never adjusted: a rebuild that reads the
        // votes and the decisions in another interleaving gets the very same number
        String rehot = "hot = " + hot("upvotes", "downvotes", "created_at") + " - downrank";
        UUID target;
        if (r instanceof ModerationEvent.ContentDownranked d) {
            target = d.targetId();
            update(tx, "INSERT INTO " + schema + ".downranked_content SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
                    + schema + ".rank_restored WHERE decision_id = ?) ON CONFLICT DO NOTHING", target, d.decisionId(),
                    d.decisionId());
            if (VOTE_RING.equals(d.rule())) {
                discount(tx, schema, target, d.agentId(), d.decisionId());
            }
        } else if (r instanceof ModerationEvent.ContentRankRestored u) {
            target = u.targetId();
            update(tx, "INSERT INTO " + schema + ".rank_restored VALUES (?) ON CONFLICT DO NOTHING", u.reverses());
            update(tx, "DELETE FROM " + schema + ".downranked_content WHERE target_id = ? AND decision_id = ?", target,
                    u.reverses());
            countAgain(tx, schema, u.reverses());
        } else {
            return;
        }
        update(tx, "UPDATE " + schema + ".post SET downrank = CASE WHEN EXISTS (SELECT 1 FROM " + schema
                + ".downranked_content r WHERE r.target_id = ?) THEN ? ELSE 0 END WHERE id = ?", target, DOWNRANK,
                target);
        update(tx, "UPDATE " + schema + ".post SET " + rehot + " WHERE id = ?", target);
    }

    /**
     * Takes {@code voter}'s vote on {@code target} out of the counts by decision {@code decision} (unless reversed
     * already); a vote another decision discounts already is not taken out twice.
     */
    private static void discount(Connection tx, String schema, UUID target, UUID voter, UUID decision)
            throws SQLException {
        boolean counted = !discounted(tx, schema, target, voter);
        int added = update(tx, "INSERT INTO " + schema + ".discounted_vote SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1"
                + " FROM " + schema + ".rank_restored WHERE decision_id = ?) ON CONFLICT DO NOTHING", target, voter,
                decision, decision);
        if (counted && added > 0) {
            moveStoredVote(tx, schema, target, voter, -1);
        }
    }

    /** Reversal of decision {@code decision}: each vote it discounted counts again once no other decision holds it. */
    private static void countAgain(Connection tx, String schema, UUID decision) throws SQLException {
        List<UUID[]> released = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM " + schema + ".discounted_vote WHERE"
                + " decision_id = ? RETURNING target_id, voter_id")) {
            ps.setObject(1, decision);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    released.add(new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)});
                }
            }
        }
        for (UUID[] vote : released) {
            if (!discounted(tx, schema, vote[0], vote[1])) {
                moveStoredVote(tx, schema, vote[0], vote[1], 1);
            }
        }
    }

    private static boolean discounted(Connection tx, String schema, UUID target, UUID voter) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + schema
                + ".discounted_vote WHERE target_id = ? AND voter_id = ?)")) {
            ps.setObject(1, target);
            ps.setObject(2, voter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Adds ({@code sign} 1) or takes out (-1) the stored vote of {@code voter} on post {@code target} in the post's
     * counts and its author's karma; nothing when there is no such vote. The caller recomputes the hot rank.
     */
    private static void moveStoredVote(Connection tx, String schema, UUID target, UUID voter, int sign)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT value, author_id FROM " + schema + ".post_vote"
                + " WHERE target_id = ? AND voter_id = ?")) {
            ps.setObject(1, target);
            ps.setObject(2, voter);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                int stored = rs.getInt(1);
                UUID author = rs.getObject(2, UUID.class);
                update(tx, "UPDATE " + schema + ".post SET upvotes = upvotes + ?, downvotes = downvotes + ?,"
                        + " score = score + ? WHERE id = ?", stored > 0 ? sign : 0, stored < 0 ? sign : 0,
                        stored * sign, target);
                update(tx, "INSERT INTO " + schema + ".agent_karma VALUES (?, ?) ON CONFLICT (agent_id) DO UPDATE"
                        + " SET karma = agent_karma.karma + EXCLUDED.karma", author, (long) stored * sign);
                update(tx, "DELETE FROM " + schema + ".agent_karma WHERE agent_id = ? AND karma = 0", author);
            }
        }
    }

    private static final String MODERATION = "moderation";
    private static final String VERIFICATION = "verification";

    /** A reason to hide a post or comment given ({@code hide}) or taken back. */
    private record Hiding(UUID target, ModerationEvent.Target type, String reason, boolean hide) {
    }

    /**
     * Gives or takes back one reason to hide a post or comment (in log order: they are few), and hides the target
     * while any reason stands: a moderator's restore does not publish content still waiting for its challenge, nor a
     * solved challenge content moderation hid. Reasons are kept in {@code hidden_content} either way, for rows that
     * arrive later; a comment's post counts it again once shown.
     */
    private static void hide(Connection tx, String schema, Hiding h) throws SQLException {
        UUID target = h.target();
        boolean post = h.type() == ModerationEvent.Target.POST;
        update(tx, h.hide() ? "INSERT INTO " + schema + ".hidden_content VALUES (?, ?) ON CONFLICT DO NOTHING"
                : "DELETE FROM " + schema + ".hidden_content WHERE target_id = ? AND reason = ?", target, h.reason());
        boolean hide;
        try (PreparedStatement ps = tx.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + schema
                + ".hidden_content WHERE target_id = ?)")) {
            ps.setObject(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                hide = rs.getBoolean(1);
            }
        }
        if (post) {
            update(tx, "UPDATE " + schema + ".post SET hidden = ?, deleted = author_deleted OR ? WHERE id = ?", hide,
                    hide, target);
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement("UPDATE " + schema + ".comment SET hidden = ?,"
                + " deleted = author_deleted OR ? WHERE id = ? AND hidden <> ? RETURNING post_id, author_deleted")) {
            ps.setBoolean(1, hide);
            ps.setBoolean(2, hide);
            ps.setObject(3, target);
            ps.setBoolean(4, hide);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && !rs.getBoolean(2)) {
                    update(tx, "UPDATE " + schema + ".post SET comment_count = comment_count + ? WHERE id = ?",
                            hide ? -1 : 1, rs.getObject(1, UUID.class));
                }
            }
        }
    }

    /** Inserts new posts with the counts of any votes that arrived before them. */
    private void insertPosts(Connection tx, String schema, List<ProjectedEvent> created) throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        int n = created.size();
        Object[] ids = new Object[n], submoltIds = new Object[n], authors = new Object[n];
        Object[] submolts = new Object[n], titles = new Object[n], contents = new Object[n], urls = new Object[n],
                types = new Object[n], times = new Object[n];
        for (int i = 0; i < n; i++) {
            PostCreated p = (PostCreated) created.get(i).event();
            ids[i] = p.postId();
            submoltIds[i] = p.submoltId();
            authors[i] = p.authorId();
            submolts[i] = p.submoltName();
            titles[i] = p.title();
            contents[i] = p.content();
            urls[i] = p.url();
            types[i] = p.postType().wire();
            times[i] = created.get(i).envelope().time().toString();
        }
        update(tx, "INSERT INTO " + schema + ".post (id, submolt_id, submolt_name, author_id, title, content, url,"
                + " post_type, upvotes, downvotes, score, hot, comment_count, created_at, deleted, author_deleted, hidden,"
                + " downrank) SELECT n.id, n.submolt_id, n.submolt_name, n.author_id, n.title, n.content, n.url,"
                + " n.post_type, v.up, v.down, v.up - v.down, " + hot("v.up", "v.down", "n.created_at") + " - "
                + downrankedAlready(schema) + ", 0, n.created_at, " + hiddenAlready(schema) + ", false, "
                + hiddenAlready(schema) + ", " + downrankedAlready(schema)
                + " FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[]::timestamptz[]) n(id, submolt_id, submolt_name, author_id, title, content, url, post_type,"
                + " created_at) CROSS JOIN LATERAL " + earlierVotes(schema, "n.id") + " v ON CONFLICT (id) DO NOTHING",
                tx.createArrayOf("uuid", ids), tx.createArrayOf("uuid", submoltIds), tx.createArrayOf("text", submolts),
                tx.createArrayOf("uuid", authors), tx.createArrayOf("text", titles), tx.createArrayOf("text", contents),
                tx.createArrayOf("text", urls), tx.createArrayOf("text", types), tx.createArrayOf("text", times));
        update(tx, "INSERT INTO " + schema + ".post_search SELECT id, " + SearchText.POST + " FROM " + schema
                + ".post WHERE id = ANY(?) ON CONFLICT (id) DO NOTHING", tx.createArrayOf("uuid", ids));
    }

    /** Inserts new comments with the counts of earlier votes; answers the post of each comment that was new. */
    private static List<UUID> insertComments(Connection tx, String schema, List<ProjectedEvent> created)
            throws SQLException {
        List<UUID> posts = new ArrayList<>();
        if (created.isEmpty()) {
            return posts;
        }
        int n = created.size();
        Object[] ids = new Object[n], postIds = new Object[n], parents = new Object[n], authors = new Object[n];
        Object[] contents = new Object[n], depths = new Object[n], times = new Object[n];
        for (int i = 0; i < n; i++) {
            CommentCreated c = (CommentCreated) created.get(i).event();
            ids[i] = c.commentId();
            postIds[i] = c.postId();
            parents[i] = c.parentId();
            authors[i] = c.authorId();
            contents[i] = c.content();
            depths[i] = c.depth();
            times[i] = created.get(i).envelope().time().toString();
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + schema + ".comment (id, post_id, parent_id,"
                + " author_id, content, depth, upvotes, downvotes, score, created_at, deleted, author_deleted, hidden)"
                + " SELECT n.id, n.post_id, n.parent_id, n.author_id, n.content, n.depth, v.up, v.down, v.up - v.down,"
                + " n.created_at, " + hiddenAlready(schema) + ", false, " + hiddenAlready(schema) + " FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::int[],"
                + " ?::text[]::timestamptz[]) n(id, post_id, parent_id, author_id, content, depth, created_at)"
                + " CROSS JOIN LATERAL " + earlierVotes(schema, "n.id") + " v ON CONFLICT (id) DO NOTHING"
                + " RETURNING post_id, hidden")) {
            ps.setArray(1, tx.createArrayOf("uuid", ids));
            ps.setArray(2, tx.createArrayOf("uuid", postIds));
            ps.setArray(3, tx.createArrayOf("uuid", parents));
            ps.setArray(4, tx.createArrayOf("uuid", authors));
            ps.setArray(5, tx.createArrayOf("text", contents));
            ps.setArray(6, tx.createArrayOf("int4", depths));
            ps.setArray(7, tx.createArrayOf("text", times));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(2)) { // a comment hidden before it arrived is not counted
                        posts.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        return posts;
    }

    /** How much a decision read before the new post {@code n} downranks it, as an SQL expression. */
    private static String downrankedAlready(String schema) {
        return "(CASE WHEN EXISTS (SELECT 1 FROM " + schema + ".downranked_content r WHERE r.target_id = n.id) THEN "
                + DOWNRANK + " ELSE 0 END)";
    }

    /** Whether moderation hid the new row {@code n} before it arrived, as an SQL expression. */
    private static String hiddenAlready(String schema) {
        return "EXISTS (SELECT 1 FROM " + schema + ".hidden_content h WHERE h.target_id = n.id)";
    }

    /** The up and down votes already stored for a target, as a subquery {@code (up, down)}. */
    private static String earlierVotes(String schema, String target) {
        return "(SELECT count(*) FILTER (WHERE value = 1)::int AS up, count(*) FILTER (WHERE value = -1)::int AS down"
                + " FROM " + schema + ".post_vote pv WHERE target_id = " + target + " AND NOT EXISTS (SELECT 1 FROM "
                + schema + ".discounted_vote d WHERE d.target_id = pv.target_id AND d.voter_id = pv.voter_id))";
    }

    /** The hot rank of up and down votes and a creation time, all SQL expressions. */
    private String hot(String up, String down, String createdAt) {
        return "(sign(" + up + " - " + down + ") * log(greatest(abs(" + up + " - " + down + "), 1))"
                + " + extract(epoch FROM " + createdAt + ") / " + secondsPerTenfoldScore() + ")";
    }

    /**
     * How much younger a post must be to rank as high as one with ten times its score. A build that changes it
     * changes every stored rank, so it raises {@link #codeVersion()} with it.
     */
    protected long secondsPerTenfoldScore() {
        return 45_000;
    }

    /**
     * Stores each (target, voter)'s new state and moves counts, hot ranks and karma by the difference from the
     * stored state, with one statement per table.
     */
    private void applyVotes(Connection tx, String schema, Collection<VoteCast> votes) throws SQLException {
        if (votes.isEmpty()) {
            return;
        }
        Map<List<UUID>, Integer> stored = new HashMap<>();
        java.util.Set<List<UUID>> discounted = new java.util.HashSet<>();
        storedVotes(tx, schema, votes, stored, discounted);
        List<VoteCast> changed = new ArrayList<>();
        Map<UUID, int[]> postDelta = new LinkedHashMap<>();
        Map<UUID, int[]> commentDelta = new LinkedHashMap<>();
        Map<UUID, Long> karma = new LinkedHashMap<>();
        for (VoteCast v : votes) {
            int old = stored.getOrDefault(List.of(v.targetId(), v.voterId()), 0);
            if (old == v.value()) {
                continue;
            }
            changed.add(v);
            if (discounted.contains(List.of(v.targetId(), v.voterId()))) {
                continue; // stored, but a ring's vote moves no count, whatever it becomes
            }
            int up = (v.value() == 1 ? 1 : 0) - (old == 1 ? 1 : 0);
            int down = (v.value() == -1 ? 1 : 0) - (old == -1 ? 1 : 0);
            int[] d = (v.targetType() == VoteEvent.Target.POST ? postDelta : commentDelta)
                    .computeIfAbsent(v.targetId(), k -> new int[2]);
            d[0] += up;
            d[1] += down;
            karma.merge(v.authorId(), (long) (up - down), Long::sum);
        }
        if (changed.isEmpty()) {
            return;
        }
        // A withdrawn vote (0) leaves no row: whether a row of 0 existed would depend on how the votes were batched.
        List<Object> targets = new ArrayList<>(), voters = new ArrayList<>(), values = new ArrayList<>();
        List<Object> authorsOf = new ArrayList<>();
        List<Object> withdrawnTargets = new ArrayList<>(), withdrawnVoters = new ArrayList<>();
        for (VoteCast v : changed) {
            (v.value() == 0 ? withdrawnTargets : targets).add(v.targetId());
            (v.value() == 0 ? withdrawnVoters : voters).add(v.voterId());
            if (v.value() != 0) {
                values.add(v.value());
                authorsOf.add(v.authorId());
            }
        }
        if (!targets.isEmpty()) {
            update(tx, "INSERT INTO " + schema + ".post_vote SELECT t, w, v::smallint, a FROM unnest(?::uuid[],"
                    + " ?::uuid[], ?::int[], ?::uuid[]) u(t, w, v, a) ON CONFLICT (target_id, voter_id)"
                    + " DO UPDATE SET value = EXCLUDED.value",
                    tx.createArrayOf("uuid", targets.toArray()), tx.createArrayOf("uuid", voters.toArray()),
                    tx.createArrayOf("int4", values.toArray()), tx.createArrayOf("uuid", authorsOf.toArray()));
        }
        if (!withdrawnTargets.isEmpty()) {
            update(tx, "DELETE FROM " + schema + ".post_vote v USING unnest(?::uuid[], ?::uuid[]) u(t, w)"
                    + " WHERE v.target_id = u.t AND v.voter_id = u.w",
                    tx.createArrayOf("uuid", withdrawnTargets.toArray()), tx.createArrayOf("uuid", withdrawnVoters.toArray()));
        }
        if (!postDelta.isEmpty()) {
            update(tx, "UPDATE " + schema + ".post p SET upvotes = p.upvotes + d.up, downvotes = p.downvotes + d.down,"
                    + " score = p.score + d.up - d.down, hot = " + hot("(p.upvotes + d.up)", "(p.downvotes + d.down)",
                    "p.created_at") + " - p.downrank FROM unnest(?::uuid[], ?::int[], ?::int[]) d(id, up, down) WHERE p.id = d.id",
                    deltaArrays(tx, postDelta));
        }
        if (!commentDelta.isEmpty()) {
            update(tx, "UPDATE " + schema + ".comment c SET upvotes = c.upvotes + d.up,"
                    + " downvotes = c.downvotes + d.down, score = c.score + d.up - d.down"
                    + " FROM unnest(?::uuid[], ?::int[], ?::int[]) d(id, up, down) WHERE c.id = d.id",
                    deltaArrays(tx, commentDelta));
        }
        if (karma.isEmpty()) {
            return;
        }
        Object[] authors = karma.keySet().toArray();
        update(tx, "INSERT INTO " + schema + ".agent_karma SELECT * FROM unnest(?::uuid[], ?::bigint[])"
                + " ON CONFLICT (agent_id) DO UPDATE SET karma = agent_karma.karma + EXCLUDED.karma",
                tx.createArrayOf("uuid", authors), tx.createArrayOf("int8", karma.values().toArray()));
        // Karma 0 leaves no row (readers take a missing row as 0): whether a row of 0 existed would depend on how
        // the votes were batched, and a rebuild must equal the live version row for row.
        update(tx, "DELETE FROM " + schema + ".agent_karma WHERE agent_id = ANY(?) AND karma = 0",
                tx.createArrayOf("uuid", authors));
    }

    /** Reads each (target, voter)'s stored vote into {@code stored}, and which of them are discounted. */
    private static void storedVotes(Connection tx, String schema, Collection<VoteCast> votes,
                                    Map<List<UUID>, Integer> stored, java.util.Set<List<UUID>> discounted)
            throws SQLException {
        Object[] targets = votes.stream().map(VoteCast::targetId).toArray();
        Object[] voters = votes.stream().map(VoteCast::voterId).toArray();
        try (PreparedStatement ps = tx.prepareStatement("SELECT k.t, k.w, v.value, EXISTS (SELECT 1 FROM " + schema
                + ".discounted_vote d WHERE d.target_id = k.t AND d.voter_id = k.w)"
                + " FROM unnest(?::uuid[], ?::uuid[]) k(t, w) LEFT JOIN " + schema + ".post_vote v"
                + " ON v.target_id = k.t AND v.voter_id = k.w")) {
            ps.setArray(1, tx.createArrayOf("uuid", targets));
            ps.setArray(2, tx.createArrayOf("uuid", voters));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<UUID> key = List.of(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                    int value = rs.getInt(3);
                    if (!rs.wasNull()) {
                        stored.put(key, value);
                    }
                    if (rs.getBoolean(4)) {
                        discounted.add(key);
                    }
                }
            }
        }
    }

    private static Object[] deltaArrays(Connection tx, Map<UUID, int[]> deltas) throws SQLException {
        Object[] ups = deltas.values().stream().map(d -> d[0]).toArray();
        Object[] downs = deltas.values().stream().map(d -> d[1]).toArray();
        return new Object[] {tx.createArrayOf("uuid", deltas.keySet().toArray()), tx.createArrayOf("int4", ups),
                tx.createArrayOf("int4", downs)};
    }
}
