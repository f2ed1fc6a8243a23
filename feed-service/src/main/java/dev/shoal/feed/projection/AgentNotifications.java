package dev.shoal.feed.projection;

import static dev.shoal.platform.sql.Sql.update;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.NotificationEvent.NotificationsRead;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.events.Topic;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;

/**
 * Each agent's notifications, built from {@code shoal.posts}, {@code shoal.votes} and {@code shoal.identity}: a
 * comment on its post, a reply to its comment, a mention ({@code @name} in a post or comment), a new follower, and
 * the upvotes on each of its posts and comments (one notification a target, counting them). The agent's read marks
 * ({@code NotificationsRead}, its own events) are kept as the newest time marked, in all and per post; whether a
 * notification is read is decided when it is read, so a rebuild keeps what was read.
 *
 * <p>The rows are the same whatever order the partitions interleave in, so a rebuild equals the live projection:
 * <ul>
 * <li>a comment notifies its post's author and, for a reply, its parent's author (once if they are the same),
 * both known because a thread shares its post's partition;</li>
 * <li>upvotes are kept per (target, voter) and the target's votes share a partition, so counts are exact; the
 * vote carries its target's author, the recipient;</li>
 * <li>a mention of a name not (yet) registered waits with the name's key, and the registration takes it if the
 * mention came after it (drops it if not); either way an agent mentioned in a reply to it gets the reply only, and
 * nobody hears of their own mention;</li>
 * <li>a new follower is one notification per follower, whose follows share a partition;</li>
 * <li>deleting a post or comment removes what was about it; an upvote on a deleted target is hidden when read.</li>
 * </ul>
 * Moderation decisions about an agent join when moderation-service writes {@code shoal.moderation}.
 */
@ApplicationScoped
public class AgentNotifications implements Projection {
    /** An {@code @name} not inside a longer word or name. */
    static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_-])@([A-Za-z0-9_-]{3,32})(?![A-Za-z0-9_-])");
    /** Beyond this, an item's further names are not notified: a list of names is not a way to page everybody. */
    static final int MAX_MENTIONS = 10;
    /** The start of the text a notification shows. */
    static final int PREVIEW = 200;
    /** The post id a mark of every notification is kept under. */
    public static final UUID ALL = new UUID(0, 0);

    @Override
    public String name() {
        return "notifications";
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.POSTS, Topic.VOTES, Topic.IDENTITY);
    }

    /** 2: posts and comments waiting for their verification challenge ({@code pending_content}). */
    @Override
    public int codeVersion() {
        return 2;
    }

    @Override
    public List<String> tables() {
        return List.of("notification", "vote_notification", "notified_upvote", "notified_post", "notified_comment",
                "notified_agent", "notification_read", "pending_content");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            // recipient_id is null for a mention of a name nobody had registered when it was made (recipient_key).
            st.execute("CREATE TABLE " + schema + ".notification (id UUID PRIMARY KEY, event_id UUID NOT NULL,"
                    + " recipient_id UUID, recipient_key TEXT, type TEXT NOT NULL, actor_id UUID, post_id UUID,"
                    + " comment_id UUID, content TEXT, at TIMESTAMPTZ NOT NULL)");
            st.execute("CREATE INDEX ON " + schema + ".notification (event_id)");
            st.execute("CREATE INDEX ON " + schema + ".notification (post_id)");
            st.execute("CREATE INDEX ON " + schema + ".notification (comment_id)");
            st.execute("CREATE INDEX ON " + schema + ".notification (recipient_key) WHERE recipient_id IS NULL");
            st.execute("CREATE TABLE " + schema + ".vote_notification (target_id UUID PRIMARY KEY,"
                    + " target_type TEXT NOT NULL, recipient_id UUID NOT NULL, upvotes INT NOT NULL,"
                    + " latest_at TIMESTAMPTZ NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".notified_upvote (target_id UUID NOT NULL, voter_id UUID NOT NULL,"
                    + " PRIMARY KEY (target_id, voter_id))");
            st.execute("CREATE TABLE " + schema + ".notified_post (post_id UUID PRIMARY KEY, author_id UUID NOT NULL,"
                    + " title TEXT NOT NULL, submolt_name TEXT NOT NULL, deleted BOOLEAN NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".notified_comment (comment_id UUID PRIMARY KEY,"
                    + " post_id UUID NOT NULL, author_id UUID NOT NULL, deleted BOOLEAN NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".notified_agent (name_key TEXT PRIMARY KEY, agent_id UUID NOT NULL,"
                    + " registered_at TIMESTAMPTZ NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".notification_read (agent_id UUID NOT NULL, post_id UUID NOT NULL,"
                    + " up_to TIMESTAMPTZ NOT NULL, PRIMARY KEY (agent_id, post_id))");
            // posts and comments waiting for their challenge: read before the content (same partition), so what
            // quotes them is never shown early, whatever the other projections have applied
            st.execute("CREATE TABLE " + schema + ".pending_content (target_id UUID PRIMARY KEY)");
        }
    }

    /** An agent's list, newest first; applying events needs only the indexes made with the tables. */
    @Override
    public void createIndexes(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE INDEX ON " + schema + ".notification (recipient_id, at DESC, id DESC)"
                    + " WHERE recipient_id IS NOT NULL");
            st.execute("CREATE INDEX ON " + schema + ".vote_notification (recipient_id, latest_at DESC, target_id DESC)");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        applyBatch(tx, schema, List.of(e));
    }

    /**
     * Votes, most of the log, are applied together in four statements a poll (see {@link #applyVotes}); the rest one
     * by one, in order. Only votes touch the upvote tables and nothing else reads them, so the two can be apart.
     */
    @Override
    public void applyBatch(Connection tx, String schema, List<ProjectedEvent> events) throws SQLException {
        List<ProjectedEvent> votes = new ArrayList<>();
        for (ProjectedEvent e : events) {
            if (e.event() instanceof VoteCast) {
                votes.add(e);
            } else {
                applyOne(tx, schema, e);
            }
        }
        applyVotes(tx, schema, votes);
    }

    private void applyOne(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        Timestamp at = Timestamp.from(e.envelope().time());
        UUID eventId = e.envelope().id();
        switch (e.event()) {
            case PostCreated p -> {
                update(tx, "INSERT INTO " + schema + ".notified_post VALUES (?, ?, ?, ?, false) ON CONFLICT DO NOTHING",
                        p.postId(), p.authorId(), p.title(), p.submoltName());
                mentions(tx, schema, eventId, p.authorId(), p.postId(), null,
                        p.title() + "\n" + (p.content() == null ? "" : p.content()), preview(p.title()), at);
            }
            case PostDeleted d -> {
                update(tx, "UPDATE " + schema + ".notified_post SET deleted = true WHERE post_id = ?", d.postId());
                update(tx, "DELETE FROM " + schema + ".notification WHERE post_id = ?", d.postId());
            }
            case CommentCreated c -> {
                update(tx, "INSERT INTO " + schema + ".notified_comment VALUES (?, ?, ?, false) ON CONFLICT DO NOTHING",
                        c.commentId(), c.postId(), c.authorId());
                String preview = preview(c.content());
                if (c.parentId() != null) {
                    notifyAuthor(tx, schema, eventId, eventId, "comment_reply",
                            "SELECT author_id FROM " + schema + ".notified_comment WHERE comment_id = ?", c.parentId(),
                            c, preview, at);
                }
                // The post's author hears of every comment on it, once even when it answers their own comment.
                notifyAuthor(tx, schema, eventId, derivedId(eventId, "post"), "post_comment", "SELECT author_id FROM " + schema + ".notified_post WHERE post_id = ?",
                        c.postId(), c, preview, at);
                mentions(tx, schema, eventId, c.authorId(), c.postId(), c.commentId(), c.content(), preview, at);
            }
            case CommentDeleted d -> {
                update(tx, "UPDATE " + schema + ".notified_comment SET deleted = true WHERE comment_id = ?",
                        d.commentId());
                update(tx, "DELETE FROM " + schema + ".notification WHERE comment_id = ?", d.commentId());
            }
            // One per follower: following again (after an unfollow) makes it new again, it does not add one.
            // A follower's follows share a partition, so the latest is applied last.
            case AgentFollowed f -> update(tx, "INSERT INTO " + schema + ".notification (id, event_id,"
                            + " recipient_id, type, actor_id, at) VALUES (?, ?, ?, 'new_follower', ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET event_id = excluded.event_id, at = excluded.at",
                    derivedId(f.followerId(), "follows/" + f.followeeId()), eventId, f.followeeId(), f.followerId(), at);
            case AgentRegistered r -> registered(tx, schema, r, at);
            case NotificationsRead r -> update(tx, "INSERT INTO " + schema + ".notification_read VALUES (?, ?, ?)"
                            + " ON CONFLICT (agent_id, post_id) DO UPDATE"
                            + " SET up_to = greatest(notification_read.up_to, excluded.up_to)",
                    r.agentId(), r.postId() == null ? ALL : r.postId(), Timestamp.from(r.upTo()));
            case ContentChallenged c -> update(tx, "INSERT INTO " + schema + ".pending_content VALUES (?)"
                    + " ON CONFLICT DO NOTHING", c.targetId());
            case ChallengePassed c -> update(tx, "DELETE FROM " + schema + ".pending_content WHERE target_id = ?",
                    c.targetId());
            default -> {
                // Unfollows, profile and key changes, submolt events: nobody is notified (votes: applyVotes).
            }
        }
    }

    /**
     * Notifies the author {@code authorQuery} finds (by {@code answered}) of comment {@code c}, unless they wrote it or
     * this comment already notified them.
     */
    private static void notifyAuthor(Connection tx, String schema, UUID eventId, UUID id, String type,
                                     String authorQuery, UUID answered, CommentCreated c, String preview, Timestamp at)
            throws SQLException {
        update(tx, "INSERT INTO " + schema + ".notification (id, event_id, recipient_id, type, actor_id, post_id,"
                        + " comment_id, content, at) SELECT ?, ?, r.author_id, ?, ?, ?, ?, ?, ? FROM (" + authorQuery
                        + ") r WHERE r.author_id <> ? AND NOT EXISTS (SELECT 1 FROM " + schema + ".notification o"
                        + " WHERE o.event_id = ? AND o.recipient_id = r.author_id) ON CONFLICT DO NOTHING",
                id, eventId, type, c.authorId(), c.postId(), c.commentId(), preview, at, answered, c.authorId(), eventId);
    }

    /**
     * Upvotes are kept per voter so that taking one back, or voting up twice, moves the count once; the time of the
     * latest upvote (a voter going from not up to up) is the notification's, so a new upvote makes it unread again.
     * A poll's votes are replayed in memory over the stored state of the pairs they touch (a target's votes share a
     * partition, so they come in order), then written as the pairs' final states and each target's change. Self-votes
     * notify nobody.
     */
    private static void applyVotes(Connection tx, String schema, List<ProjectedEvent> events) throws SQLException {
        Map<List<UUID>, Boolean> up = new LinkedHashMap<>();
        for (ProjectedEvent e : events) {
            VoteCast v = (VoteCast) e.event();
            if (!v.voterId().equals(v.authorId())) {
                up.put(List.of(v.targetId(), v.voterId()), false);
            }
        }
        if (up.isEmpty()) {
            return;
        }
        Object[] targets = up.keySet().stream().map(k -> k.get(0)).toArray();
        Object[] voters = up.keySet().stream().map(k -> k.get(1)).toArray();
        try (PreparedStatement ps = tx.prepareStatement("SELECT u.target_id, u.voter_id FROM unnest(?::uuid[],"
                + " ?::uuid[]) k(target_id, voter_id) JOIN " + schema + ".notified_upvote u USING (target_id, voter_id)")) {
            ps.setArray(1, tx.createArrayOf("uuid", targets));
            ps.setArray(2, tx.createArrayOf("uuid", voters));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    up.put(List.of(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), true);
                }
            }
        }
        Map<List<UUID>, Boolean> stored = new HashMap<>(up);
        record Tally(String type, UUID recipient, int delta, Timestamp latest) {
        }
        Map<UUID, Tally> tallies = new LinkedHashMap<>();
        for (ProjectedEvent e : events) {
            VoteCast v = (VoteCast) e.event();
            List<UUID> pair = List.of(v.targetId(), v.voterId());
            Boolean was = up.get(pair);
            if (was == null) {
                continue; // a self-vote
            }
            boolean now = v.value() == 1;
            if (was == now) {
                continue;
            }
            up.put(pair, now);
            Timestamp at = now ? Timestamp.from(e.envelope().time()) : null;
            tallies.merge(v.targetId(), new Tally(v.targetType() == VoteEvent.Target.POST ? "post" : "comment",
                    v.authorId(), now ? 1 : -1, at), (a, b) -> new Tally(a.type(), a.recipient(), a.delta() + b.delta(),
                    later(a.latest(), b.latest())));
        }
        List<Object> added = new ArrayList<>();
        List<Object> removed = new ArrayList<>();
        for (Map.Entry<List<UUID>, Boolean> pair : up.entrySet()) {
            if (!pair.getValue().equals(stored.get(pair.getKey()))) {
                (pair.getValue() ? added : removed).add(pair.getKey());
            }
        }
        if (!added.isEmpty()) {
            update(tx, "INSERT INTO " + schema + ".notified_upvote SELECT * FROM unnest(?::uuid[], ?::uuid[])",
                    uuids(tx, added, 0), uuids(tx, added, 1));
        }
        if (!removed.isEmpty()) {
            update(tx, "DELETE FROM " + schema + ".notified_upvote u USING unnest(?::uuid[], ?::uuid[]) k(t, v)"
                    + " WHERE u.target_id = k.t AND u.voter_id = k.v", uuids(tx, removed, 0), uuids(tx, removed, 1));
        }
        if (!tallies.isEmpty()) {
            int n = tallies.size();
            Object[] ids = new Object[n], types = new Object[n], recipients = new Object[n], deltas = new Object[n],
                    latest = new Object[n];
            int i = 0;
            for (Map.Entry<UUID, Tally> t : tallies.entrySet()) {
                ids[i] = t.getKey();
                types[i] = t.getValue().type();
                recipients[i] = t.getValue().recipient();
                deltas[i] = t.getValue().delta();
                latest[i++] = t.getValue().latest() == null ? null : t.getValue().latest().toInstant().toString();
            }
            // A target's first change is an upvote (a tally starts at none), so a new row always has a time; a
            // change that only takes upvotes back has none, and PostgreSQL checks NOT NULL on the proposed row
            // even when it conflicts: -infinity leaves the stored time as it is.
            update(tx, "INSERT INTO " + schema + ".vote_notification AS v SELECT t, k, r, d,"
                            + " coalesce(l, '-infinity') FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::int[],"
                            + " ?::text[]::timestamptz[]) n(t, k, r, d, l)"
                            + " ON CONFLICT (target_id) DO UPDATE SET upvotes = v.upvotes + excluded.upvotes,"
                            + " latest_at = greatest(v.latest_at, excluded.latest_at)",
                    tx.createArrayOf("uuid", ids), tx.createArrayOf("text", types), tx.createArrayOf("uuid", recipients),
                    tx.createArrayOf("int4", deltas), tx.createArrayOf("text", latest));
        }
    }

    private static Timestamp later(Timestamp a, Timestamp b) {
        return a == null ? b : b == null ? a : a.after(b) ? a : b;
    }

    @SuppressWarnings("unchecked")
    private static java.sql.Array uuids(Connection tx, List<Object> pairs, int index) throws SQLException {
        return tx.createArrayOf("uuid", pairs.stream().map(p -> ((List<UUID>) p).get(index)).toArray());
    }

    /**
     * One notification per name mentioned: to its agent if it was registered by then, else waiting for one to
     * register (not kept when the name's agent registered only after it: that agent never hears of it).
     */
    private static void mentions(Connection tx, String schema, UUID eventId, UUID author, UUID postId,
                                 UUID commentId, String text, String preview, Timestamp at) throws SQLException {
        for (String key : mentionedKeys(text)) {
            UUID id = derivedId(eventId, "@" + key);
            update(tx, "INSERT INTO " + schema + ".notification (id, event_id, recipient_id, recipient_key, type,"
                            + " actor_id, post_id, comment_id, content, at)"
                            + " SELECT ?, ?, a.agent_id, ?, 'mention', ?, ?, ?, ?, ?"
                            + " FROM (SELECT 1) one LEFT JOIN " + schema + ".notified_agent a"
                            + " ON a.name_key = ? AND a.registered_at <= ?"
                            + " WHERE (a.agent_id IS NULL AND NOT EXISTS (SELECT 1 FROM " + schema + ".notified_agent l"
                            + " WHERE l.name_key = ? AND l.registered_at > ?))"
                            + " OR (a.agent_id <> ? AND NOT EXISTS (SELECT 1 FROM " + schema
                            + ".notification o WHERE o.event_id = ? AND o.recipient_id = a.agent_id))"
                            + " ON CONFLICT DO NOTHING",
                    id, eventId, key, author, postId, commentId, preview, at, key, at, key, at, author, eventId);
        }
    }

    /** The registered agent takes the mentions of its name made since, unless the same item already notified it. */
    private static void registered(Connection tx, String schema, AgentRegistered r, Timestamp at) throws SQLException {
        String key = NameKey.of(r.name());
        update(tx, "INSERT INTO " + schema + ".notified_agent VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                key, r.agentId(), at);
        // Waiting mentions from before the registration, of the agent itself, or of an item that notified it anyway.
        update(tx, "DELETE FROM " + schema + ".notification n WHERE n.recipient_id IS NULL AND n.recipient_key = ?"
                        + " AND (n.at < ? OR n.actor_id = ? OR EXISTS (SELECT 1 FROM " + schema + ".notification o"
                        + " WHERE o.event_id = n.event_id AND o.recipient_id = ?))",
                key, at, r.agentId(), r.agentId());
        update(tx, "UPDATE " + schema + ".notification SET recipient_id = ? WHERE recipient_id IS NULL"
                + " AND recipient_key = ? AND at >= ?", r.agentId(), key, at);
    }

    /** The id of one of an event's further notifications: the same in every rebuild. */
    private static UUID derivedId(UUID eventId, String part) {
        return UUID.nameUUIDFromBytes((eventId + "/" + part).getBytes(StandardCharsets.UTF_8));
    }

    /** The distinct name keys an item mentions, in order, at most {@link #MAX_MENTIONS}. */
    static Set<String> mentionedKeys(String text) {
        Set<String> keys = new LinkedHashSet<>();
        if (text == null) {
            return keys;
        }
        Matcher m = MENTION.matcher(text);
        while (m.find() && keys.size() < MAX_MENTIONS) {
            keys.add(NameKey.of(m.group(1)));
        }
        return keys;
    }

    static String preview(String text) {
        if (text == null) {
            return null;
        }
        return text.codePointCount(0, text.length()) <= PREVIEW ? text
                : text.substring(0, text.offsetByCodePoints(0, PREVIEW - 1)) + "…";
    }
}
