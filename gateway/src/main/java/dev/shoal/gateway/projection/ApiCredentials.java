package dev.shoal.gateway.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topic;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.gateway.domain.CredentialCache;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.sql.Sql;

/**
 * The keyed hashes of every working API key and whose they are, built from {@code shoal.identity}: the gateway
 * authenticates agents from this alone and never asks identity's database. A key's events share the agent's
 * partition, so rotations and revocations apply in order.
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
        return List.of(Topic.IDENTITY);
    }

    @Override
    public List<String> tables() {
        return List.of("api_credential");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".api_credential (key_hash TEXT PRIMARY KEY,"
                    + " key_id UUID NOT NULL UNIQUE, agent_id UUID NOT NULL)");
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
            } else if (e.event() instanceof ApiKeyRevoked) {
                removed = true;
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
