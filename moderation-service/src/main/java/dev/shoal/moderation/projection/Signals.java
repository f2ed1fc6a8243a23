package dev.shoal.moderation.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.events.AgentEvent.LeakedApiKeyRevoked;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorRemoved;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.ContentFacts;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.sql.Sql;

/**
 * What the rules look at, built from the log: every post and comment as a signal (author, submolt, time, fingerprint,
 * linked domains; never its text), each submolt's crypto setting, and the keyed hashes of the API keys that work now
 * (to tell a live key in a post from a dead one), agents' names (for the modlog), who owns and moderates each
 * submolt (for moderators' actions), who owns each agent (for appeals) and every voter's latest vote (for vote rings). The decisions read it through {@link #READ_SCHEMA}'s views; a
 * replay rebuilds it beside the live one and proves them equal, and emits nothing.
 */
@ApplicationScoped
public class Signals implements Projection {
    /**
     * 2: agents' names ({@code agent_signal}), for the modlog; 3: submolts' names and who owns and moderates them
     * ({@code submolt_role}), and names' folded keys, for moderators' actions; 4: who owns each agent
     * ({@code agent_owner}, a human's subject), for owners' appeals, and every voter's latest vote on each target
     * ({@code vote_signal}), for vote rings; 5: when each agent registered ({@code agent_signal.registered_at}), for
     * the rule on new agents writing fast, and whether each vote is on a post or a comment
     * ({@code vote_signal.target_type}), for the posts a ring pushed.
     */
    public static final int CODE_VERSION = 5;
    /** The read schema of this build ({@code shoal.projections.read-schema} and the code version). */
    public static final String READ_SCHEMA = "signals_c" + CODE_VERSION;

    /** The projection's name. */
    public static final String NAME = "signals";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int codeVersion() {
        return CODE_VERSION;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.IDENTITY, Topic.COMMUNITY, Topic.POSTS, Topic.VOTES);
    }

    @Override
    public List<String> tables() {
        return List.of("content_signal", "submolt_signal", "live_key", "agent_signal", "submolt_role", "agent_owner",
                "vote_signal");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".content_signal (id UUID PRIMARY KEY, kind TEXT NOT NULL,"
                    + " post_id UUID NOT NULL, author_id UUID NOT NULL, submolt_id UUID, at TIMESTAMPTZ NOT NULL,"
                    + " fingerprint TEXT, link_domains TEXT NOT NULL, event_id UUID NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".submolt_signal (submolt_id UUID PRIMARY KEY,"
                    + " allow_crypto BOOLEAN NOT NULL, name TEXT NOT NULL UNIQUE)");
            st.execute("CREATE TABLE " + schema + ".submolt_role (submolt_id UUID NOT NULL, agent_id UUID NOT NULL,"
                    + " role TEXT NOT NULL, PRIMARY KEY (submolt_id, agent_id))");
            st.execute("CREATE TABLE " + schema + ".live_key (key_hash TEXT PRIMARY KEY, key_id UUID NOT NULL UNIQUE,"
                    + " agent_id UUID NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".agent_signal (agent_id UUID PRIMARY KEY, name TEXT NOT NULL,"
                    + " name_key TEXT NOT NULL, registered_at TIMESTAMPTZ NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".agent_owner (agent_id UUID PRIMARY KEY,"
                    + " owner_subject TEXT NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".vote_signal (voter_id UUID NOT NULL, target_id UUID NOT NULL,"
                    + " author_id UUID NOT NULL, value SMALLINT NOT NULL, at TIMESTAMPTZ NOT NULL, event_id UUID NOT NULL,"
                    + " target_type TEXT NOT NULL, PRIMARY KEY (voter_id, target_id))");
        }
    }

    @Override
    public void createIndexes(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE INDEX ON " + schema + ".content_signal (author_id, at)");
            st.execute("CREATE INDEX ON " + schema + ".vote_signal (voter_id, at) WHERE value = 1");
        }
    }

    /**
     * As one by one, but a poll's votes go in one statement (votes are half of all writes): each voter's last vote on
     * a target wins, as it would applied in turn (a target's author and kind never change), and no other event here
     * writes {@code vote_signal}, so the votes can follow the rest.
     */
    @Override
    public void applyBatch(Connection tx, String schema, List<ProjectedEvent> events) throws SQLException {
        Map<List<UUID>, ProjectedEvent> lastVotes = new LinkedHashMap<>();
        for (ProjectedEvent e : events) {
            if (e.event() instanceof VoteCast v) {
                lastVotes.put(List.of(v.voterId(), v.targetId()), e);
            } else {
                apply(tx, schema, e);
            }
        }
        if (lastVotes.isEmpty()) {
            return;
        }
        int n = lastVotes.size();
        Object[] voters = new Object[n], targets = new Object[n], authors = new Object[n], eventIds = new Object[n];
        Object[] values = new Object[n], at = new Object[n], types = new Object[n];
        int i = 0;
        for (ProjectedEvent e : lastVotes.values()) {
            VoteCast v = (VoteCast) e.event();
            voters[i] = v.voterId();
            targets[i] = v.targetId();
            authors[i] = v.authorId();
            values[i] = (short) v.value();
            at[i] = e.envelope().time().toString();
            eventIds[i] = e.envelope().id();
            types[i] = targetType(v);
            i++;
        }
        Sql.update(tx, "INSERT INTO " + schema + ".vote_signal SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[],"
                        + " ?::int2[], ?::text[]::timestamptz[], ?::uuid[], ?::text[])"
                        + " ON CONFLICT (voter_id, target_id) DO UPDATE SET value = EXCLUDED.value, at = EXCLUDED.at,"
                        + " event_id = EXCLUDED.event_id", tx.createArrayOf("uuid", voters),
                tx.createArrayOf("uuid", targets), tx.createArrayOf("uuid", authors), tx.createArrayOf("int2", values),
                tx.createArrayOf("text", at), tx.createArrayOf("uuid", eventIds), tx.createArrayOf("text", types));
    }

    private static String targetType(VoteCast v) {
        return v.targetType() == dev.shoal.events.VoteEvent.Target.POST ? "post" : "comment";
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        Timestamp at = Timestamp.from(e.envelope().time());
        switch (e.event()) {
            case PostCreated p -> Sql.update(tx, "INSERT INTO " + schema + ".content_signal VALUES"
                            + " (?, 'post', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", p.postId(), p.postId(),
                    p.authorId(), p.submoltId(), at, ContentFacts.fingerprint(p.title(), p.content()).orElse(null),
                    String.join(" ", ContentFacts.linkDomains(p.url(), p.content())), e.envelope().id());
            case CommentCreated c -> Sql.update(tx, "INSERT INTO " + schema + ".content_signal SELECT"
                            + " ?, 'comment', ?, ?, (SELECT submolt_id FROM " + schema + ".content_signal WHERE id = ?),"
                            + " ?, ?, ?, ? ON CONFLICT DO NOTHING", c.commentId(), c.postId(), c.authorId(), c.postId(),
                    at, ContentFacts.fingerprint(null, c.content()).orElse(null),
                    String.join(" ", ContentFacts.linkDomains(null, c.content())), e.envelope().id());
            case SubmoltCreated s -> {
                Sql.update(tx, "INSERT INTO " + schema + ".submolt_signal VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        s.submoltId(), s.allowCrypto(), s.name());
                if (s.ownerId() != null) {
                    role(tx, schema, s.submoltId(), s.ownerId(), "owner");
                }
            }
            case SubmoltModeratorAdded m -> role(tx, schema, m.submoltId(), m.agentId(), "moderator");
            case SubmoltModeratorRemoved m -> Sql.update(tx, "DELETE FROM " + schema + ".submolt_role"
                    + " WHERE submolt_id = ? AND agent_id = ? AND role = 'moderator'", m.submoltId(), m.agentId());
            case AgentRegistered r -> {
                addKey(tx, schema, r.apiKeyHash(), r.keyId(), r.agentId());
                Sql.update(tx, "INSERT INTO " + schema + ".agent_signal VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        r.agentId(), r.name(), NameKey.of(r.name()), java.sql.Timestamp.from(e.envelope().time()));
            }
            case ApiKeyRotated r -> {
                dropKey(tx, schema, r.previousKeyId());
                addKey(tx, schema, r.apiKeyHash(), r.keyId(), r.agentId());
            }
            case ApiKeyRevoked r -> dropKey(tx, schema, r.keyId());
            case VoteCast v -> Sql.update(tx, "INSERT INTO " + schema + ".vote_signal VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (voter_id, target_id) DO UPDATE SET value = EXCLUDED.value, at = EXCLUDED.at,"
                    + " event_id = EXCLUDED.event_id", v.voterId(), v.targetId(), v.authorId(), (short) v.value(), at,
                    e.envelope().id(), targetType(v));
            case AgentClaimed c -> Sql.update(tx, "INSERT INTO " + schema + ".agent_owner VALUES (?, ?)"
                    + " ON CONFLICT (agent_id) DO UPDATE SET owner_subject = EXCLUDED.owner_subject", c.agentId(),
                    c.ownerSubject());
            case LeakedApiKeyRevoked r -> dropKey(tx, schema, r.keyId());
            default -> {
                // other events say nothing the rules use
            }
        }
    }

    private static void role(Connection tx, String schema, UUID submolt, UUID agent, String role)
            throws SQLException {
        Sql.update(tx, "INSERT INTO " + schema + ".submolt_role VALUES (?, ?, ?) ON CONFLICT DO NOTHING", submolt,
                agent, role);
    }

    private static void addKey(Connection tx, String schema, String hash, UUID keyId, UUID agentId)
            throws SQLException {
        Sql.update(tx, "INSERT INTO " + schema + ".live_key VALUES (?, ?, ?) ON CONFLICT DO NOTHING", hash, keyId,
                agentId);
    }

    private static void dropKey(Connection tx, String schema, UUID keyId) throws SQLException {
        if (keyId != null) {
            Sql.update(tx, "DELETE FROM " + schema + ".live_key WHERE key_id = ?", keyId);
        }
    }
}
