package dev.shoal.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;

/**
 * Appends events to the outbox over JDBC, for the platform's tests of the relay and the runners, which run without
 * Quarkus (services append through their EventWriter).
 */
final class JdbcOutbox {
    private JdbcOutbox() {
    }

    static EventEnvelope append(Connection tx, ShoalEvent event, String actor, String correlationId, Instant time)
            throws SQLException {
        EventEnvelope e = EventEnvelope.of(event, actor, correlationId, time);
        try (PreparedStatement ps = tx.prepareStatement("""
                INSERT INTO outbox (event_id, topic, source, type, subject, occurred_at, actor, correlation_id, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setObject(1, e.id());
            ps.setString(2, event.topic().id());
            ps.setString(3, e.source());
            ps.setString(4, e.type());
            ps.setString(5, e.subject());
            ps.setTimestamp(6, Timestamp.from(e.time()));
            ps.setString(7, e.actor());
            ps.setString(8, e.correlationId());
            ps.setBytes(9, e.data());
            ps.executeUpdate();
        }
        return e;
    }
}
