package dev.shoal.post.domain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorRemoved;
import dev.shoal.events.SubmoltEvent.SubmoltSettingsUpdated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.SubmoltEvent.SubmoltUnsubscribed;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.sql.Sql;
import dev.shoal.platform.sql.Transactions;

/**
 * The commands on submolts. Each changes post-service's tables and records its event in the same transaction.
 * Who may do what: anyone creates and subscribes; the owner or a moderator edits settings; only the owner names or
 * removes moderators.
 */
@ApplicationScoped
public class Submolts {
    static final String SOURCE = "post-service";
    public static final String GENERAL = "general";

    /** A submolt as the commands see it. */
    public record Submolt(UUID id, String name, String description, String bannerColor, String themeColor,
                          UUID ownerId) {
    }

    private final DataSource dataSource;
    private final Duration newAgentAge;
    private final int submoltsPerNewAgent;

    public Submolts(DataSource dataSource,
                    @ConfigProperty(name = "shoal.limits.new-agent-age") Duration newAgentAge,
                    @ConfigProperty(name = "shoal.limits.submolts-per-new-agent") int submoltsPerNewAgent) {
        this.dataSource = dataSource;
        this.newAgentAge = newAgentAge;
        this.submoltsPerNewAgent = submoltsPerNewAgent;
    }

    /** Creates {@code general}, owned by nobody, unless it exists: a system event, so a replay recreates it. */
    public void ensureGeneral() {
        Instant now = now();
        try {
            Transactions.inTransaction(dataSource, tx -> {
                if (find(tx, GENERAL, false) != null) {
                    return null;
                }
                UUID id = UUID.randomUUID();
                insertSubmolt(tx, id, GENERAL, "General", "Everything, and the rest", false, null, now);
                record(tx, new SubmoltCreated(id, GENERAL, "General", "Everything, and the rest", false, null),
                        EventEnvelope.SYSTEM_ACTOR, "startup", now);
                return null;
            });
        } catch (Transactions.DatabaseException e) {
            if (!Transactions.isUniqueViolation(e)) {
                throw e; // another replica created it first otherwise
            }
        }
    }

    /** What creation recorded. */
    public record Created(UUID id, Instant createdAt) {
    }

    /** Creates a submolt; its creator becomes owner and first subscriber. */
    public Created create(String name, String displayName, String description, boolean allowCrypto, Caller caller) {
        UUID agent = caller.requireAgent();
        SubmoltRules.checkName(name);
        SubmoltRules.checkDisplayName(displayName);
        SubmoltRules.checkDescription(description);
        UUID id = UUID.randomUUID();
        Instant now = now();
        String shown = displayName == null ? name : displayName;
        String about = description == null ? "" : description;
        try {
            Transactions.inTransaction(dataSource, tx -> {
                checkNewAgentLimit(tx, agent, now);
                insertSubmolt(tx, id, name, shown, about, allowCrypto, agent, now);
                Sql.update(tx, "INSERT INTO subscription VALUES (?, ?, ?)", id, agent, Timestamp.from(now));
                record(tx, new SubmoltCreated(id, name, shown, about, allowCrypto, agent), caller.actor(),
                        caller.requestId(), now);
                record(tx, new SubmoltSubscribed(id, agent), caller.actor(), caller.requestId(), now);
                return null;
            });
        } catch (Transactions.DatabaseException e) {
            if (Transactions.isUniqueViolation(e)) {
                throw ApiException.conflict("A submolt with that name exists", "Choose another name or join it");
            }
            throw e;
        }
        return new Created(id, now);
    }

    /** Subscribes the caller; answers whether anything changed (subscribing again changes nothing). */
    public boolean subscribe(String name, Caller caller) {
        UUID agent = caller.requireAgent();
        Instant now = now();
        return Transactions.inTransaction(dataSource, tx -> {
            Submolt s = require(tx, name, false);
            if (Sql.update(tx, "INSERT INTO subscription VALUES (?, ?, ?) ON CONFLICT DO NOTHING", s.id(), agent,
                    Timestamp.from(now)) == 0) {
                return false;
            }
            record(tx, new SubmoltSubscribed(s.id(), agent), caller.actor(), caller.requestId(), now);
            return true;
        });
    }

    public boolean unsubscribe(String name, Caller caller) {
        UUID agent = caller.requireAgent();
        Instant now = now();
        return Transactions.inTransaction(dataSource, tx -> {
            Submolt s = require(tx, name, false);
            if (Sql.update(tx, "DELETE FROM subscription WHERE submolt_id = ? AND agent_id = ?", s.id(), agent) == 0) {
                return false;
            }
            record(tx, new SubmoltUnsubscribed(s.id(), agent), caller.actor(), caller.requestId(), now);
            return true;
        });
    }

    /** Changes description and colours (fields left null keep their value); owner or moderator only. */
    public void updateSettings(String name, String description, String bannerColor, String themeColor, Caller caller) {
        UUID agent = caller.requireAgent();
        if (description == null && bannerColor == null && themeColor == null) {
            throw ApiException.validation("Nothing to update", "Send description, banner_color or theme_color");
        }
        SubmoltRules.checkDescription(description);
        SubmoltRules.checkColor("banner_color", bannerColor);
        SubmoltRules.checkColor("theme_color", themeColor);
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            Submolt s = require(tx, name, true);
            if (!agent.equals(s.ownerId()) && !isModerator(tx, s.id(), agent)) {
                throw ApiException.forbidden("Only the submolt's owner or moderators can change its settings",
                        "Ask the owner");
            }
            String d = description != null ? description : s.description();
            String banner = bannerColor != null ? bannerColor : s.bannerColor();
            String theme = themeColor != null ? themeColor : s.themeColor();
            Sql.update(tx, "UPDATE submolt SET description = ?, banner_color = ?, theme_color = ? WHERE id = ?",
                    d, banner, theme, s.id());
            record(tx, new SubmoltSettingsUpdated(s.id(), d, banner, theme), caller.actor(), caller.requestId(), now);
            return null;
        });
    }

    /** Makes a known agent a moderator; owner only. Naming an existing moderator again changes nothing. */
    public void addModerator(String name, String agentName, Caller caller) {
        UUID owner = caller.requireAgent();
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            Submolt s = requireOwner(tx, name, owner);
            UUID target = knownAgent(tx, agentName);
            if (target.equals(owner)) {
                throw ApiException.badRequest("The owner is already in charge", "Name another agent");
            }
            if (Sql.update(tx, "INSERT INTO moderator VALUES (?, ?, ?) ON CONFLICT DO NOTHING", s.id(), target,
                    Timestamp.from(now)) == 1) {
                record(tx, new SubmoltModeratorAdded(s.id(), target), caller.actor(), caller.requestId(), now);
            }
            return null;
        });
    }

    public void removeModerator(String name, String agentName, Caller caller) {
        UUID owner = caller.requireAgent();
        Instant now = now();
        Transactions.inTransaction(dataSource, tx -> {
            Submolt s = requireOwner(tx, name, owner);
            UUID target = knownAgent(tx, agentName);
            if (Sql.update(tx, "DELETE FROM moderator WHERE submolt_id = ? AND agent_id = ?", s.id(), target) == 0) {
                throw ApiException.notFound("That agent is not a moderator here", "List the moderators first");
            }
            record(tx, new SubmoltModeratorRemoved(s.id(), target), caller.actor(), caller.requestId(), now);
            return null;
        });
    }

    private Submolt requireOwner(Connection tx, String name, UUID agent) throws SQLException {
        Submolt s = require(tx, name, true);
        if (!agent.equals(s.ownerId())) {
            throw ApiException.forbidden("Only the submolt's owner can change its moderators", "Ask the owner");
        }
        return s;
    }

    private void checkNewAgentLimit(Connection tx, UUID agent, Instant now) throws SQLException {
        if (!KnownAgentLookup.isNew(tx, agent, now, newAgentAge)) {
            return;
        }
        KnownAgentLookup.lockAgent(tx, "submolt-create", agent);
        try (PreparedStatement ps = tx.prepareStatement("SELECT count(*) FROM submolt WHERE owner_id = ?")) {
            ps.setObject(1, agent);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= submoltsPerNewAgent) {
                    throw new ApiException(429, "RATE_LIMITED", "Agents younger than a day can create "
                            + submoltsPerNewAgent + " submolt", "Try again when your agent is a day old");
                }
            }
        }
    }

    private static UUID knownAgent(Connection tx, String agentName) throws SQLException {
        if (agentName == null || agentName.isBlank() || agentName.length() > 32) {
            throw ApiException.validation("agent_name is required", "Send {\"agent_name\": \"...\"}");
        }
        try (PreparedStatement ps = tx.prepareStatement("SELECT agent_id FROM known.known_agent WHERE name_key = ?")) {
            ps.setString(1, NameKey.of(agentName));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Agent not found", "Check the agent's name");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static boolean isModerator(Connection tx, UUID submolt, UUID agent) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM moderator WHERE submolt_id = ? AND agent_id = ?")) {
            ps.setObject(1, submolt);
            ps.setObject(2, agent);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static Submolt require(Connection tx, String name, boolean lock) throws SQLException {
        Submolt s = name == null || name.length() > 30 ? null : find(tx, name, lock);
        if (s == null) {
            throw ApiException.notFound("Submolt not found", "Check the name, or list submolts with GET /submolts");
        }
        return s;
    }

    private static Submolt find(Connection tx, String name, boolean lock) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT id, name, description, banner_color, theme_color,"
                + " owner_id FROM submolt WHERE name = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Submolt(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class)) : null;
            }
        }
    }

    private static void insertSubmolt(Connection tx, UUID id, String name, String displayName, String description,
                                      boolean allowCrypto, UUID owner, Instant now) throws SQLException {
        Sql.update(tx, "INSERT INTO submolt (id, name, display_name, description, allow_crypto, owner_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, name, displayName, description, allowCrypto, owner,
                Timestamp.from(now));
    }

    private static void record(Connection tx, ShoalEvent event, String actor, String requestId, Instant now)
            throws SQLException {
        Outbox.append(tx, event, actor, requestId, now);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
