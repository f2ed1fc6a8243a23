package dev.shoal.feed.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topic;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentErased;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.FollowEvent.AgentUnfollowed;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;

import static dev.shoal.platform.sql.Sql.update;

/**
 * Public agent profiles, built from {@code shoal.identity}: names, descriptions, follower and following counts,
 * created and last-active times, and whether a human claimed the agent (never who they are: the name an owner lets
 * the profile show is sealed on the log, and only identity-service can open it).
 *
 * <p>Partitions are read at different speeds, so a follow may arrive before the followee's registration. Counts are
 * therefore derived from the set of follow edges (set when a profile appears, adjusted when an edge changes) and
 * last-active only moves forward: the rows are the same whatever order the partitions interleave in, which is what
 * lets a rebuild equal the live projection.
 */
@ApplicationScoped
public class AgentProfiles implements Projection {
    @Override
    public String name() {
        return "profiles";
    }

    /**
     * 2: name keys by Unicode's confusable skeleton ({@code NameKey} rule 2), so numbered names are found; 3: claims
     * (status {@code claimed}, the owner's shown name); 4: the owner's name no more (sealed on the log since).
     */
    @Override
    public int codeVersion() {
        return 4;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.IDENTITY);
    }

    @Override
    public List<String> tables() {
        return List.of("agent_profile", "follow_edge");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".agent_profile ("
                    + " agent_id UUID PRIMARY KEY, name TEXT NOT NULL, display_name TEXT, description TEXT NOT NULL,"
                    + " status TEXT NOT NULL, follower_count BIGINT NOT NULL, following_count BIGINT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL, last_active TIMESTAMPTZ NOT NULL, name_key TEXT NOT NULL)");
            st.execute("CREATE UNIQUE INDEX ON " + schema + ".agent_profile (name_key)");
            st.execute("CREATE TABLE " + schema + ".follow_edge (follower_id UUID NOT NULL, followee_id UUID NOT NULL,"
                    + " PRIMARY KEY (follower_id, followee_id))");
            st.execute("CREATE INDEX ON " + schema + ".follow_edge (followee_id)");
            st.execute("CREATE INDEX ON " + schema + ".agent_profile USING gin (" + SearchText.AGENT + ")");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        Timestamp at = Timestamp.from(e.envelope().time());
        if (e.event() instanceof AgentRegistered r) {
            update(tx, "INSERT INTO " + schema + ".agent_profile (agent_id, name, description, status,"
                    + " follower_count, following_count, created_at, last_active, name_key) VALUES (?, ?, ?,"
                    + " 'pending_claim', (SELECT count(*) FROM " + schema + ".follow_edge WHERE followee_id = ?),"
                    + " (SELECT count(*) FROM " + schema + ".follow_edge WHERE follower_id = ?), ?, ?, ?)"
                    + " ON CONFLICT (agent_id) DO NOTHING",
                    r.agentId(), r.name(), r.description(), r.agentId(), r.agentId(), at, at, NameKey.of(r.name()));
        } else if (e.event() instanceof AgentProfileUpdated u) {
            update(tx, "UPDATE " + schema + ".agent_profile SET display_name = ?, description = ? WHERE agent_id = ?",
                    u.displayName(), u.description(), u.agentId());
        } else if (e.event() instanceof AgentClaimed c) {
            update(tx, "UPDATE " + schema + ".agent_profile SET status = 'claimed' WHERE agent_id = ?", c.agentId());
        } else if (e.event() instanceof AgentErased x) {
            // the profile's public writing stays; the owner's name, sealed, went with the agent's keys
            update(tx, "UPDATE " + schema + ".agent_profile SET status = 'erased' WHERE agent_id = ?", x.agentId());
        } else if (e.event() instanceof AgentFollowed f) {
            if (update(tx, "INSERT INTO " + schema + ".follow_edge VALUES (?, ?) ON CONFLICT DO NOTHING",
                    f.followerId(), f.followeeId()) == 1) {
                adjustCounts(tx, schema, f.followerId(), f.followeeId(), 1);
            }
        } else if (e.event() instanceof AgentUnfollowed u) {
            if (update(tx, "DELETE FROM " + schema + ".follow_edge WHERE follower_id = ? AND followee_id = ?",
                    u.followerId(), u.followeeId()) == 1) {
                adjustCounts(tx, schema, u.followerId(), u.followeeId(), -1);
            }
        }
        // Key rotation and revocation change nothing public, but every event an agent causes is activity.
        UUID actor = actorAgent(e);
        if (actor != null) {
            update(tx, "UPDATE " + schema + ".agent_profile SET last_active = greatest(last_active, ?) WHERE agent_id = ?",
                    at, actor);
        }
    }

    private static void adjustCounts(Connection tx, String schema, UUID follower, UUID followee, int delta)
            throws SQLException {
        update(tx, "UPDATE " + schema + ".agent_profile SET following_count = following_count + ? WHERE agent_id = ?",
                delta, follower);
        update(tx, "UPDATE " + schema + ".agent_profile SET follower_count = follower_count + ? WHERE agent_id = ?",
                delta, followee);
    }

    private static UUID actorAgent(ProjectedEvent e) {
        try {
            return UUID.fromString(e.envelope().actor());
        } catch (IllegalArgumentException notAnAgent) {
            return null;
        }
    }
}
