package dev.shoal.gateway.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topic;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.AgentReleasedByOwner;
import dev.shoal.events.AgentEvent.AgentSuspendedByOwner;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.events.AgentEvent.LeakedApiKeyRevoked;
import dev.shoal.events.ModerationEvent.AgentSuspended;
import dev.shoal.events.ModerationEvent.AgentSuspensionLifted;
import dev.shoal.gateway.domain.CredentialCache;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.sql.Sql;

/**
 * The keyed hashes of every working API key and whose they are, built from {@code shoal.identity}: the gateway
 * authenticates agents from this alone and never asks identity's database. A key's events share the agent's
 * partition, so rotations, revocations and its owner's suspensions apply in order. A suspended agent keeps its key
 * rows (its owner may release it) and is listed in {@code suspended_agent}. Suspensions by moderation
 * ({@code shoal.moderation}) are kept with their end and reason in {@code moderation_suspension}: the gateway refuses
 * such an agent's writes until the end, which it compares at request time.
 */
@ApplicationScoped
public class ApiCredentials implements Projection {
    private final CredentialCache cache;

    public ApiCredentials(CredentialCache cache) {
        this.cache = cache;
    }

    @Override
    public String name() {
        return "credentials";
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.IDENTITY, Topic.MODERATION);
    }

    /** 2: owners' suspensions ({@code suspended_agent}); 3: moderation's ({@code moderation_suspension}). */
    @Override
    public int codeVersion() {
        return 3;
    }

    @Override
    public List<String> tables() {
        return List.of("api_credential", "suspended_agent", "moderation_suspension");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".api_credential (key_hash TEXT PRIMARY KEY,"
                    + " key_id UUID NOT NULL UNIQUE, agent_id UUID NOT NULL)");
            st.execute("CREATE TABLE " + schema + ".suspended_agent (agent_id UUID PRIMARY KEY)");
            st.execute("CREATE TABLE " + schema + ".moderation_suspension (agent_id UUID PRIMARY KEY,"
                    + " decision_id UUID NOT NULL, until TIMESTAMPTZ, reason TEXT NOT NULL)");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        if (e.event() instanceof AgentRegistered r) {
            insert(tx, schema, r.apiKeyHash(), r.keyId(), r.agentId());
        } else if (e.event() instanceof ApiKeyRotated r) {
            delete(tx, schema, r.previousKeyId());
            insert(tx, schema, r.apiKeyHash(), r.keyId(), r.agentId());
        } else if (e.event() instanceof ApiKeyRevoked r) {
            delete(tx, schema, r.keyId());
        } else if (e.event() instanceof LeakedApiKeyRevoked r) {
            delete(tx, schema, r.keyId());
        } else if (e.event() instanceof AgentSuspended s) {
            Sql.update(tx, "INSERT INTO " + schema + ".moderation_suspension VALUES (?, ?, ?, ?) ON CONFLICT (agent_id)"
                    + " DO UPDATE SET decision_id = excluded.decision_id, until = excluded.until,"
                    + " reason = excluded.reason", s.agentId(), s.decisionId(),
                    s.until() == null ? null : java.sql.Timestamp.from(s.until()), s.reason());
        } else if (e.event() instanceof AgentSuspensionLifted l) {
            Sql.update(tx, "DELETE FROM " + schema + ".moderation_suspension WHERE agent_id = ? AND decision_id = ?",
                    l.agentId(), l.reverses());
        } else if (e.event() instanceof AgentSuspendedByOwner s) {
            Sql.update(tx, "INSERT INTO " + schema + ".suspended_agent VALUES (?) ON CONFLICT DO NOTHING",
                    s.agentId());
        } else if (e.event() instanceof AgentReleasedByOwner r) {
            Sql.update(tx, "DELETE FROM " + schema + ".suspended_agent WHERE agent_id = ?", r.agentId());
        }
    }

    @Override
    public void committed(List<ProjectedEvent> events) {
        boolean removed = false;
        for (ProjectedEvent e : events) {
            if (e.event() instanceof AgentRegistered r) {
                cache.keyAdded(r.apiKeyHash());
            } else if (e.event() instanceof ApiKeyRotated r) {
                cache.keyAdded(r.apiKeyHash());
                removed = true;
            } else if (e.event() instanceof ApiKeyRevoked || e.event() instanceof LeakedApiKeyRevoked
                    || e.event() instanceof AgentSuspendedByOwner || e.event() instanceof AgentReleasedByOwner
                    || e.event() instanceof AgentSuspended || e.event() instanceof AgentSuspensionLifted) {
                removed = true; // cached credentials carry whether their agent is suspended
            }
        }
        if (removed) {
            cache.keysRemoved();
        }
    }

    private static void insert(Connection tx, String schema, String hash, UUID keyId, UUID agentId)
            throws SQLException {
        Sql.update(tx, "INSERT INTO " + schema + ".api_credential VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                hash, keyId, agentId);
    }

    private static void delete(Connection tx, String schema, UUID keyId) throws SQLException {
        if (keyId != null) {
            Sql.update(tx, "DELETE FROM " + schema + ".api_credential WHERE key_id = ?", keyId);
        }
    }
}
