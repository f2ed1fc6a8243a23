package dev.shoal.post.domain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Questions about agents that post-service answers from its {@code agents} projection. */
final class KnownAgentLookup {
    private KnownAgentLookup() {
    }

    /** Younger than {@code newAgentAge}; an agent this service has not heard of yet registered moments ago. */
    static boolean isNew(Connection tx, UUID agent, Instant now, Duration newAgentAge) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT registered_at FROM known.known_agent WHERE agent_id = ?")) {
            ps.setObject(1, agent);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getTimestamp(1).toInstant().isAfter(now.minus(newAgentAge));
            }
        }
    }

    /** The agent's name, or null when this service has not heard of it yet. */
    static String nameOf(Connection tx, UUID agent) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT name FROM known.known_agent WHERE agent_id = ?")) {
            ps.setObject(1, agent);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Serialises one agent's commands of one kind within their transactions, so limits cannot be raced past, and
     * answers the time to record the command at: read after the lock, so it is never before the time of the command
     * that held the lock before (a time read earlier could be, and a cooldown of zero would then refuse).
     */
    static Instant lockAgent(Connection tx, String purpose, UUID agent) throws SQLException {
        try (PreparedStatement lock = tx.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, purpose + ":" + agent);
            lock.execute();
        }
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
