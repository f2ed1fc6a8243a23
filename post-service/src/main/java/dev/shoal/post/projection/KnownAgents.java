package dev.shoal.post.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topic;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.ModerationEvent.AgentBannedFromSubmolt;
import dev.shoal.events.ModerationEvent.ChallengesRequired;
import dev.shoal.events.ModerationEvent.SubmoltBanLifted;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.sql.Sql;

/**
 * Which agents exist, by name, and since when: post-service learns it from {@code shoal.identity}, never from
 * identity's database. Used to name moderators and to give agents younger than a day, or not claimed by a human, the
 * stricter limits. Bans from submolts come from {@code shoal.moderation} ({@code submolt_ban}): a banned agent's
 * posts and comments there are refused; orders to challenge an agent ({@code challenge_order}) too: its new posts and
 * comments wait for a verification challenge until the order's end.
 */
@ApplicationScoped
public class KnownAgents implements Projection {
    /** Raise it when the rows change for the same events (see {@link Projection#codeVersion}). */
    // 2: name keys by Unicode's confusable skeleton (NameKey rule 2); 3: when a human claimed the agent;
    // 4: bans from submolts (shoal.moderation); 5: orders to challenge an agent's content (shoal.moderation)
    public static final int CODE_VERSION = 5;
    /**
     * The read schema of this build ({@code shoal.projections.read-schema} suffixed with the code version, as
     * {@code ProjectionManager.readSchema} names it), a constant because {@link KnownAgentRow}'s mapping names it.
     */
    public static final String READ_SCHEMA = "known_c" + CODE_VERSION;

    @Override
    public String name() {
        return "agents";
    }

    @Override
    public int codeVersion() {
        return CODE_VERSION;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.IDENTITY, Topic.MODERATION);
    }

    @Override
    public List<String> tables() {
        return List.of("known_agent", "submolt_ban", "challenge_order");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".known_agent (agent_id UUID PRIMARY KEY, name TEXT NOT NULL,"
                    + " registered_at TIMESTAMPTZ NOT NULL, name_key TEXT NOT NULL, claimed_at TIMESTAMPTZ)");
            st.execute("CREATE UNIQUE INDEX ON " + schema + ".known_agent (name_key)");
            st.execute("CREATE TABLE " + schema + ".submolt_ban (submolt_id UUID NOT NULL, agent_id UUID NOT NULL,"
                    + " decision_id UUID NOT NULL, PRIMARY KEY (submolt_id, agent_id))");
            st.execute("CREATE TABLE " + schema + ".challenge_order (agent_id UUID PRIMARY KEY,"
                    + " until TIMESTAMPTZ NOT NULL, decision_id UUID NOT NULL)");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        if (e.event() instanceof AgentRegistered r) {
            Sql.update(tx, "INSERT INTO " + schema + ".known_agent VALUES (?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING",
                    r.agentId(), r.name(), Timestamp.from(e.envelope().time()), NameKey.of(r.name()));
        } else if (e.event() instanceof AgentBannedFromSubmolt b) {
            Sql.update(tx, "INSERT INTO " + schema + ".submolt_ban VALUES (?, ?, ?) ON CONFLICT (submolt_id, agent_id)"
                    + " DO UPDATE SET decision_id = excluded.decision_id", b.submoltId(), b.agentId(), b.decisionId());
        } else if (e.event() instanceof SubmoltBanLifted l) {
            Sql.update(tx, "DELETE FROM " + schema + ".submolt_ban WHERE submolt_id = ? AND agent_id = ?"
                    + " AND decision_id = ?", l.submoltId(), l.agentId(), l.reverses());
        } else if (e.event() instanceof ChallengesRequired c) {
            // The latest order wins: a moderator's shorter order replaces a rule's longer one, and the other way.
            Sql.update(tx, "INSERT INTO " + schema + ".challenge_order VALUES (?, ?, ?) ON CONFLICT (agent_id)"
                    + " DO UPDATE SET until = excluded.until, decision_id = excluded.decision_id", c.agentId(),
                    Timestamp.from(c.until()), c.decisionId());
        } else if (e.event() instanceof AgentClaimed c) {
            Sql.update(tx, "UPDATE " + schema + ".known_agent SET claimed_at = ? WHERE agent_id = ?",
                    Timestamp.from(e.envelope().time()), c.agentId());
        }
    }
}
