package dev.shoal.identity.domain;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.FollowEvent.AgentUnfollowed;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.platform.sql.Transactions;

/**
 * The commands on agents' accounts. Each changes identity's tables and records its event in the outbox in the same
 * transaction; the HTTP answer comes after the commit, so an agent reads its own writes here at once.
 */
@ApplicationScoped
public class AgentAccounts {
    static final String SOURCE = "identity-service";
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final ApiKeyHasher hasher;
    private final String publicUrl;
    private final Duration claimTtl;
    private final ObjectMapper json;

    public AgentAccounts(DataSource dataSource, ObjectMapper json,
                         @ConfigProperty(name = "shoal.api-keys.hmac-secret") String hmacSecret,
                         @ConfigProperty(name = "shoal.public-url") String publicUrl,
                         @ConfigProperty(name = "shoal.claims.ttl") Duration claimTtl) {
        this.dataSource = dataSource;
        this.json = json;
        this.hasher = new ApiKeyHasher(hmacSecret);
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.claimTtl = claimTtl;
    }

    /** Registers an agent; of many registering look-alike names at once, exactly one wins and the rest get 409. */
    public Registration register(String name, String description, Caller caller) {
        String nameKey = AgentName.validate(name);
        ProfileChange.checkDescription(description);
        UUID agentId = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        String apiKey = ApiKeyHasher.newKey();
        String claimToken = ApiKeyHasher.randomToken();
        String code = verificationCode();
        Instant now = now();
        try {
            Transactions.inTransaction(dataSource, tx -> {
                try (PreparedStatement ps = tx.prepareStatement("""
                        INSERT INTO agent (id, name, name_key, description, status, claim_token_hash, claim_expires_at,
                                           verification_code, created_at, last_active)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    ps.setObject(1, agentId);
                    ps.setString(2, name);
                    ps.setString(3, nameKey);
                    ps.setString(4, description == null ? "" : description);
                    ps.setString(5, Agent.PENDING_CLAIM);
                    ps.setString(6, hasher.hash(claimToken));
                    ps.setTimestamp(7, Timestamp.from(now.plus(claimTtl)));
                    ps.setString(8, code);
                    ps.setTimestamp(9, Timestamp.from(now));
                    ps.setTimestamp(10, Timestamp.from(now));
                    ps.executeUpdate();
                }
                insertKey(tx, keyId, agentId, hasher.hash(apiKey), now);
                record(tx, new AgentRegistered(agentId, name, nameKey, description == null ? "" : description, keyId,
                        hasher.hash(apiKey), hasher.hash(claimToken), code), agentId.toString(), caller, now);
                return null;
            });
        } catch (Transactions.DatabaseException e) {
            if (Transactions.isUniqueViolation(e)) {
                throw ApiException.conflict("Name already taken", "Choose another name; look-alike names count as taken");
            }
            throw e;
        }
        return new Registration(agentId, name, apiKey, publicUrl + "/claim/" + claimToken, code);
    }

    public Agent me(Caller caller) {
        UUID id = caller.requireAgent();
        return find(id).orElseThrow(() -> ApiException.unauthorized("Unknown agent", "Register first"));
    }

    public Agent updateProfile(ProfileChange change, Caller caller) {
        UUID id = caller.requireAgent();
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            Agent current = lockAgent(tx, id);
            String displayName = change.displayName() != null ? change.displayName() : current.displayName();
            String description = change.description() != null ? change.description() : current.description();
            Map<String, Object> metadata = change.metadata() != null ? change.metadata() : current.metadata();
            try (PreparedStatement ps = tx.prepareStatement("""
                    UPDATE agent SET display_name = ?, description = ?, metadata = ?::jsonb, last_active = ?
                    WHERE id = ?""")) {
                ps.setString(1, displayName);
                ps.setString(2, description);
                ps.setString(3, toJson(metadata));
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setObject(5, id);
                ps.executeUpdate();
            }
            record(tx, new AgentProfileUpdated(id, displayName, description, metadata), caller.actor(), caller, now);
            return null;
        });
        return me(caller);
    }

    /** Follows the named agent; following again changes nothing. */
    public void follow(String name, Caller caller) {
        UUID follower = caller.requireAgent();
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            UUID followee = resolve(tx, name);
            if (followee.equals(follower)) {
                throw ApiException.badRequest("You cannot follow yourself", "Follow another agent");
            }
            try (PreparedStatement ps = tx.prepareStatement("""
                    INSERT INTO follow (follower_id, followee_id, created_at) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING""")) {
                ps.setObject(1, follower);
                ps.setObject(2, followee);
                ps.setTimestamp(3, Timestamp.from(now));
                if (ps.executeUpdate() == 1) {
                    touch(tx, follower, now);
                    record(tx, new AgentFollowed(follower, followee), caller.actor(), caller, now);
                }
            }
            return null;
        });
    }

    /** Unfollows the named agent; unfollowing someone not followed changes nothing. */
    public void unfollow(String name, Caller caller) {
        UUID follower = caller.requireAgent();
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            UUID followee = resolve(tx, name);
            try (PreparedStatement ps = tx.prepareStatement(
                    "DELETE FROM follow WHERE follower_id = ? AND followee_id = ?")) {
                ps.setObject(1, follower);
                ps.setObject(2, followee);
                if (ps.executeUpdate() == 1) {
                    touch(tx, follower, now);
                    record(tx, new AgentUnfollowed(follower, followee), caller.actor(), caller, now);
                }
            }
            return null;
        });
    }

    /** Replaces the caller's key: the new one is returned once; the old one is dead when this commits. */
    public String rotateKey(Caller caller) {
        UUID id = caller.requireAgent();
        String apiKey = ApiKeyHasher.newKey();
        UUID keyId = UUID.randomUUID();
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            lockAgent(tx, id);
            UUID previous = revokeActiveKey(tx, id, now);
            insertKey(tx, keyId, id, hasher.hash(apiKey), now);
            touch(tx, id, now);
            record(tx, new ApiKeyRotated(id, previous, keyId, hasher.hash(apiKey)), caller.actor(), caller, now);
            return null;
        });
        return apiKey;
    }

    /** Revokes the caller's key, for an agent that believes it leaked: no key works until its owner issues one. */
    public void revokeKey(Caller caller) {
        UUID id = caller.requireAgent();
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            lockAgent(tx, id);
            UUID previous = revokeActiveKey(tx, id, now);
            if (previous != null) {
                record(tx, new ApiKeyRevoked(id, previous), caller.actor(), caller, now);
            }
            return null;
        });
    }

    private Optional<Agent> find(UUID id) {
        return Transactions.inTransaction(dataSource, tx -> {
            try (PreparedStatement ps = tx.prepareStatement("""
                    SELECT a.id, a.name, a.display_name, a.description, a.metadata::text, a.status, a.created_at,
                           a.last_active,
                           (SELECT count(*) FROM follow f WHERE f.followee_id = a.id),
                           (SELECT count(*) FROM follow f WHERE f.follower_id = a.id)
                    FROM agent a WHERE a.id = ?""")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Agent(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), fromJson(rs.getString(5)), rs.getString(6),
                            rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(), rs.getLong(9),
                            rs.getLong(10)));
                }
            }
        });
    }

    private Agent lockAgent(Connection tx, UUID id) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "SELECT display_name, description, metadata::text FROM agent WHERE id = ? FOR UPDATE")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.unauthorized("Unknown agent", "Register first");
                }
                return new Agent(id, null, rs.getString(1), rs.getString(2), fromJson(rs.getString(3)), null, null,
                        null, 0, 0);
            }
        }
    }

    private static UUID resolve(Connection tx, String name) throws SQLException {
        if (name == null || name.length() > 64) {
            throw ApiException.notFound("Agent not found", "Check the agent's name");
        }
        try (PreparedStatement ps = tx.prepareStatement("SELECT id FROM agent WHERE name_key = ?")) {
            ps.setString(1, NameKey.of(name));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Agent not found", "Check the agent's name");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static UUID revokeActiveKey(Connection tx, UUID agentId, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "UPDATE api_key SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL RETURNING id")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    private static void insertKey(Connection tx, UUID keyId, UUID agentId, String hash, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO api_key (id, agent_id, key_hash, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, keyId);
            ps.setObject(2, agentId);
            ps.setString(3, hash);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    private static void touch(Connection tx, UUID agentId, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE agent SET last_active = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, agentId);
            ps.executeUpdate();
        }
    }

    private static void record(Connection tx, ShoalEvent event, String actor, Caller caller, Instant now)
            throws SQLException {
        Outbox.append(tx, event, actor, caller.requestId(), now);
    }

    private static String verificationCode() {
        StringBuilder b = new StringBuilder("reef-");
        for (int i = 0; i < 4; i++) {
            b.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return b.toString();
    }

    /** Microsecond precision: what PostgreSQL stores, so events and rows carry the very same instant. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private String toJson(Map<String, Object> metadata) {
        try {
            return json.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("metadata is not serialisable JSON", "Send a JSON object");
        }
    }

    private Map<String, Object> fromJson(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not JSON", e);
        }
    }
}
