package dev.shoal.gateway.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;


import dev.shoal.gateway.domain.Credential;
import dev.shoal.gateway.domain.CredentialCache;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.platform.sql.Transactions;

/**
 * Authenticates agents by their API key against the gateway's own {@code credentials} projection: the presented key
 * is hashed with the server secret and looked up; the key itself is never stored or compared in clear.
 */
@ApplicationScoped
public class Authenticator {
    private final DataSource dataSource;
    private final ReadSchema reads;
    private final ApiKeyHasher hasher;
    private final CredentialCache cache;

    public Authenticator(DataSource dataSource, ReadSchema reads, CredentialCache cache,
                         GatewayConfig.ApiKeys keys) {
        String secret = keys.hmacSecret();
        this.dataSource = dataSource;
        this.reads = reads;
        this.cache = cache;
        this.hasher = new ApiKeyHasher(secret);
    }

    /**
     * The agent of a key hash ({@link #hashOf}): from memory, else from the projection; 401 for a dead key, and for
     * one found unknown a moment ago or revoked here, without asking the projection.
     */
    public Credential agentOf(String hash) {
        Credential agent = cache.get(hash);
        if (agent == null && !cache.refused(hash)) {
            long generation = cache.generation();
            agent = Transactions.inTransaction(dataSource, c -> lookup(c, hash));
            if (agent != null) {
                cache.put(hash, agent, generation);
            } else {
                cache.putUnknown(hash, generation);
            }
        }
        if (agent == null) {
            throw ApiException.unauthorized("Invalid API key", "The key is unknown, rotated or revoked");
        }
        if (agent.suspended()) {
            throw new ApiException(403, "agent_suspended", "This agent is suspended by its owner",
                    "Only the human who claimed it can release it");
        }
        return agent;
    }

    /**
     * What a key hash found in memory admits, without blocking: null when the projection must be asked, or when the
     * agent is suspended ({@link #agentOf} says so).
     */
    public Credential cachedAgent(String hash) {
        Credential c = cache.get(hash);
        return c == null || c.suspended() ? null : c;
    }

    /** The keyed hash of the key this {@code Authorization} header carries; 401 for a missing or malformed one. */
    public String hashOf(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("Missing API key", "Send Authorization: Bearer <api_key>");
        }
        String key = authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : "";
        if (!ApiKeyHasher.wellFormed(key)) {
            throw ApiException.unauthorized("Invalid API key", "Keys look like moltbook_shoal_...; register to get one");
        }
        return hasher.hash(key);
    }

    /**
     * Waits (at most {@code timeout}) until a key just issued by identity-service is in the credentials projection,
     * so an agent can use the key the moment it has it: read-your-writes for the one write the gateway itself
     * depends on. Answers whether it arrived in time.
     */
    public boolean awaitIssued(String key, java.time.Duration timeout) {
        if (!ApiKeyHasher.wellFormed(key)) {
            return false;
        }
        return awaitInProjection(hasher.hash(key), true, timeout);
    }

    /**
     * Waits (at most {@code timeout}) until a key that identity-service has revoked or rotated away has left the
     * credentials projection, and forgets every cached key. Answers whether it left in time; when it did not, the key
     * is refused here anyway ({@link CredentialCache#revokedHere}): a revocation fails closed.
     */
    public boolean awaitDropped(String hash, java.time.Duration timeout) {
        boolean dropped = false;
        try {
            dropped = awaitInProjection(hash, false, timeout);
        } finally {
            // Whatever happened while waiting (the projection's database away included), the key is dead here.
            if (dropped) {
                cache.keysRemoved();
            } else {
                cache.revokedHere(hash);
            }
        }
        return dropped;
    }

    /**
     * Waits (at most {@code timeout}) until an owner's suspension or release of the agent is in the credentials
     * projection, and forgets every cached key: the owner's page answers once the gateway acts on it.
     */
    public boolean awaitSuspension(UUID agentId, boolean suspended, java.time.Duration timeout) {
        try {
            return awaitTrue(c -> isSuspended(c, agentId) == suspended, timeout);
        } finally {
            cache.keysRemoved();
        }
    }

    private boolean isSuspended(Connection c, UUID agentId) throws SQLException {
        try (PreparedStatement ps = reads.prepare(c, "SELECT 1 FROM {read}.suspended_agent WHERE agent_id = ?")) {
            ps.setObject(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Asks the credentials projection every 5 ms, for at most {@code timeout}, until the hash is in it
     * ({@code present}) or gone from it; answers whether that happened in time.
     */
    private boolean awaitInProjection(String hash, boolean present, java.time.Duration timeout) {
        return awaitTrue(c -> (lookup(c, hash) != null) == present, timeout);
    }

    /** Asks {@code check} of the projection every 5 ms, for at most {@code timeout}; answers whether it came true. */
    private boolean awaitTrue(Transactions.Work<Boolean> check, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Transactions.inTransaction(dataSource, check)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private Credential lookup(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = reads.prepare(c,
                "SELECT c.agent_id, c.key_id, s.agent_id IS NOT NULL, m.agent_id IS NOT NULL, m.until, m.reason"
                        + " FROM {read}.api_credential c"
                        + " LEFT JOIN {read}.suspended_agent s ON s.agent_id = c.agent_id"
                        + " LEFT JOIN {read}.moderation_suspension m ON m.agent_id = c.agent_id WHERE c.key_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                java.sql.Timestamp until = rs.getTimestamp(5);
                return new Credential(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBoolean(3),
                        rs.getBoolean(4) ? new Credential.Suspension(until == null ? null : until.toInstant(),
                                rs.getString(6)) : null);
            }
        }
    }
}
