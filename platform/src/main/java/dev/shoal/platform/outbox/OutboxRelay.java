package dev.shoal.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;

/**
 * Publishes outbox rows to Kafka in commit order and marks them published.
 *
 * <p>Order: rows of one aggregate are inserted while its row lock is held, so their {@code seq} order is their
 * commit order; the relay sends in {@code seq} order through an idempotent producer with {@code acks=all}, which
 * keeps per-partition order across retries. Each batch (read, send, wait for every acknowledgement, mark) runs in one
 * transaction holding a transaction-scoped advisory lock, so replicas never interleave, and a batch that fails on any
 * connection releases the lock with its rollback: no pooled connection is ever left holding leadership. After a
 * crash, rows sent but not yet marked are sent again by whichever replica runs next; consumers drop them by event id.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key that makes one relay per database the leader, batch by batch. */
    private static final long LEADER_LOCK = 0x5_400A_1L;

    /** @param batchSize rows published per round trip; idle wait is bounded by {@code idleWait} even without NOTIFY */
    public record Settings(int batchSize, Duration idleWait, Duration retryBackoff, Duration keepPublished) {
        public static Settings defaults() {
            return new Settings(500, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofDays(7));
        }
    }

    private final DataSource dataSource;
    private final Map<String, Object> producerConfig;
    private final Settings settings;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile boolean leader;
    private Thread thread;

    public OutboxRelay(DataSource dataSource, Map<String, Object> producerConfig, Settings settings) {
        this.dataSource = dataSource;
        this.producerConfig = producerConfig;
        this.settings = settings;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Events this relay has published (and seen acknowledged) since it started. */
    public long publishedCount() {
        return published.get();
    }

    public boolean isLeader() {
        return leader;
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Map<String, Object> reliableProducer(Map<String, Object> base) {
        Map<String, Object> p = new java.util.HashMap<>(base);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    private void run() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(reliableProducer(producerConfig),
                new StringSerializer(), new ByteArraySerializer())) {
            while (running) {
                try (Connection listen = dataSource.getConnection()) {
                    listen.setAutoCommit(true);
                    try (Statement st = listen.createStatement()) {
                        st.execute("LISTEN " + Outbox.CHANNEL);
                    }
                    try {
                        PGConnection pg = listen.unwrap(PGConnection.class);
                        long lastPurge = 0;
                        while (running) {
                            int sent = publishBatch(producer);
                            if (sent >= 0 && System.currentTimeMillis() - lastPurge > 60_000) {
                                purgePublished();
                                lastPurge = System.currentTimeMillis();
                            }
                            if (sent < settings.batchSize()) {
                                // Woken by a commit's NOTIFY; a standby also wakes to find the leader gone.
                                pg.getNotifications((int) settings.idleWait().toMillis());
                            }
                        }
                    } finally {
                        // The connection goes back to the pool: it must not keep receiving this channel's wake-ups.
                        try (Statement st = listen.createStatement()) {
                            st.execute("UNLISTEN *");
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    leader = false;
                    if (running) {
                        LOG.warnf("outbox relay: %s; retrying", e.toString());
                        sleep(settings.retryBackoff());
                    }
                }
            }
        } finally {
            leader = false;
        }
    }

    /**
     * Publishes the oldest unpublished rows and marks them, only once Kafka acknowledged every one of them, in one
     * transaction under the leader lock. Answers how many were sent, or -1 when another replica holds the lock.
     */
    int publishBatch(KafkaProducer<String, byte[]> producer) throws SQLException {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try {
                int sent = publishBatch(tx, producer);
                tx.commit();
                if (sent > 0) {
                    published.addAndGet(sent);
                }
                return sent;
            } catch (SQLException | RuntimeException e) {
                tx.rollback();
                throw e;
            }
        }
    }

    private int publishBatch(Connection tx, KafkaProducer<String, byte[]> producer) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, LEADER_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                leader = rs.getBoolean(1);
            }
        }
        if (!leader) {
            return -1;
        }
        List<Long> seqs = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("""
                SELECT seq, event_id, topic, source, type, subject, occurred_at, actor, correlation_id, data,
                       aggregate_version
                FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?""")) {
            ps.setInt(1, settings.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventEnvelope e = new EventEnvelope(rs.getObject(2, UUID.class), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9),
                            rs.getLong(11), rs.getBytes(10));
                    seqs.add(rs.getLong(1));
                    acks.add(producer.send(CloudEventHeaders.toRecord(rs.getString(3), e)));
                }
            }
        }
        if (seqs.isEmpty()) {
            return 0;
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (Exception e) {
                // Nothing is marked: the whole batch is sent again and consumers drop what they already have.
                throw new IllegalStateException("Kafka did not acknowledge an outbox event: " + e.getMessage(), e);
            }
        }
        try (PreparedStatement ps = tx.prepareStatement("UPDATE outbox SET published_at = now() WHERE seq = ANY (?)")) {
            ps.setArray(1, tx.createArrayOf("bigint", seqs.toArray()));
            ps.executeUpdate();
        }
        return seqs.size();
    }

    /** Published rows are kept a while for inspection; the log in Kafka is the record that lasts. */
    private void purgePublished() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM outbox WHERE published_at < now() - make_interval(secs => ?)")) {
            ps.setLong(1, settings.keepPublished().toSeconds());
            ps.executeUpdate();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
