package dev.shoal.platform.projection;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.shoal.events.Topic;

/**
 * Events a projection could not apply (an error that is not the database being away: a constraint, a value its code
 * cannot handle), set aside so the projection moves on: each is published to {@link Topic#DEAD_LETTERS} as it was
 * stored (key, headers, value) with the error and where it came from in {@code shoal_dlq_*} headers, and recorded in
 * the version's {@code _dead_letters} table in the transaction that moves the stored offset past it.
 */
final class DeadLetters implements AutoCloseable {
    static final String TABLE = "_dead_letters";
    private final Map<String, Object> config = new HashMap<>();
    private KafkaProducer<String, byte[]> producer;

    DeadLetters(Map<String, Object> clientConfig) {
        // Only what says where the brokers are and who this client is; the rest is the consumer's.
        clientConfig.forEach((k, v) -> {
            if (k.startsWith("bootstrap.") || k.startsWith("security.") || k.startsWith("sasl.")
                    || k.startsWith("ssl.")) {
                config.put(k, v);
            }
        });
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    static void createTable(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + "." + TABLE + " (topic TEXT NOT NULL, partition INT"
                    + " NOT NULL, log_offset BIGINT NOT NULL, event_id UUID, type TEXT, error TEXT NOT NULL,"
                    + " set_aside_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (topic, partition, log_offset))");
        }
    }

    /** Publishes the record, with the error, and waits until the brokers have it. */
    synchronized void publish(String schema, ConsumerRecord<String, byte[]> r, String error) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(Topic.DEAD_LETTERS, r.key(), r.value());
        for (Header h : r.headers()) {
            out.headers().add(h);
        }
        out.headers().add("shoal_dlq_projection", bytes(schema));
        out.headers().add("shoal_dlq_topic", bytes(r.topic()));
        out.headers().add("shoal_dlq_partition", bytes(String.valueOf(r.partition())));
        out.headers().add("shoal_dlq_offset", bytes(String.valueOf(r.offset())));
        out.headers().add("shoal_dlq_error", bytes(error));
        producer.send(out).get(30, TimeUnit.SECONDS);
    }

    static void record(Connection tx, String schema, ConsumerRecord<String, byte[]> r, java.util.UUID eventId,
                       String type, String error) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + schema + "." + TABLE + " (topic, partition,"
                + " log_offset, event_id, type, error) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, r.topic());
            ps.setInt(2, r.partition());
            ps.setLong(3, r.offset());
            ps.setObject(4, eventId);
            ps.setString(5, type);
            ps.setString(6, error);
            ps.executeUpdate();
        }
    }

    static long count(Connection c, String schema) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Whether a failed batch may succeed if tried again as it is: the database away or busy (connection, transaction
     * rollback, resources, operator intervention, system errors, or a driver error without a state), not an error the
     * same events would give every time.
     */
    static boolean passing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state == null || state.length() < 2) {
                    return true;
                }
                return switch (state.substring(0, 2)) {
                    case "08", "40", "53", "55", "57", "58", "XX" -> true;
                    default -> false;
                };
            }
        }
        return false;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }
}
