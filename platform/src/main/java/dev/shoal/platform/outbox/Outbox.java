package dev.shoal.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

import java.time.Instant;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;

/** Records an event in the caller's open transaction, so the event exists if and only if the state change commits. */
public final class Outbox {
    /** The channel the relay listens on; NOTIFY is delivered at commit, so the relay wakes only for committed rows. */
    public static final String CHANNEL = "shoal_outbox";

    private Outbox() {
    }

    /**
     * Appends {@code event} to its family's topic, as written by that topic's owner; caused by {@code actor} during
     * request {@code correlationId}, at {@code time} (the command's clock).
     */
    public static EventEnvelope append(Connection tx, ShoalEvent event, String actor, String correlationId, Instant time)
            throws SQLException {
        EventEnvelope e = EventEnvelope.of(event, actor, correlationId, time);
        if (tx.getAutoCommit()) {
            throw new IllegalStateException("an outbox append must share the state change's transaction");
        }
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
        try (var st = tx.createStatement()) {
            st.execute("NOTIFY " + CHANNEL);
        }
        return e;
    }
}
