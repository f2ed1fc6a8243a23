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
        return agent;
    }

    /** What a key hash found in memory authenticates, without blocking: null when the projection must be asked. */
    public Credential cachedAgent(String hash) {
        return cache.get(hash);
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
     * Asks the credentials projection every 5 ms, for at most {@code timeout}, until the hash is in it
     * ({@code present}) or gone from it; answers whether that happened in time.
     */
    private boolean awaitInProjection(String hash, boolean present, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((Transactions.inTransaction(dataSource, c -> lookup(c, hash)) != null) != present) {
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
                "SELECT agent_id, key_id FROM {read}.api_credential WHERE key_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Credential(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)) : null;
            }
        }
    }
}
