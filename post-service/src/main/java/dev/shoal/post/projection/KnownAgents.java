package dev.shoal.post.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topic;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.sql.Sql;

/**
 * Which agents exist, by name, and since when: post-service learns it from {@code shoal.identity}, never from
 * identity's database. Used to name moderators and to give agents younger than a day the stricter limits.
 */
@ApplicationScoped
public class KnownAgents implements Projection {
    /** Raise it when the rows change for the same events (see {@link Projection#codeVersion}). */
    public static final int CODE_VERSION = 2; // 2: name keys by Unicode's confusable skeleton (NameKey rule 2)
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
        return List.of(Topic.IDENTITY);
    }

    @Override
    public List<String> tables() {
        return List.of("known_agent");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".known_agent (agent_id UUID PRIMARY KEY, name TEXT NOT NULL,"
                    + " registered_at TIMESTAMPTZ NOT NULL, name_key TEXT NOT NULL)");
            st.execute("CREATE UNIQUE INDEX ON " + schema + ".known_agent (name_key)");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        if (e.event() instanceof AgentRegistered r) {
            Sql.update(tx, "INSERT INTO " + schema + ".known_agent VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    r.agentId(), r.name(), Timestamp.from(e.envelope().time()), NameKey.of(r.name()));
        }
    }
}
