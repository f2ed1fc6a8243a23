package dev.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.platform.outbox.OutboxRelay;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.platform.projection.ProjectionStatus;
import dev.shoal.platform.projection.RebuildStatus;
import dev.shoal.testing.SharedInfra;

/** The outbox, the relay, the projection runner and the rebuild, together on the real Kafka and PostgreSQL. */
class OutboxRelayAndProjectionTest {
    /**
     * Counts follows per followee: enough to see an event applied twice or missed. A later code version may count each
     * follow as {@code step} (a changed formula, to see which code made the rows).
     */
    static final class FollowCounts implements Projection {
        private final int step;
        private final int codeVersion;

        FollowCounts() {
            this(1, 1);
        }

        FollowCounts(int step, int codeVersion) {
            this.step = step;
            this.codeVersion = codeVersion;
        }

        @Override
        public String name() {
            return "follow_counts";
        }

        @Override
        public int codeVersion() {
            return codeVersion;
        }

        @Override
        public List<Topic> topics() {
            return List.of(Topic.IDENTITY);
        }

        @Override
        public List<String> tables() {
            return List.of("follow_count");
        }

        @Override
        public void createTables(Connection tx, String schema) throws SQLException {
            try (Statement st = tx.createStatement()) {
                st.execute("CREATE TABLE " + schema + ".follow_count (followee UUID PRIMARY KEY, n INT NOT NULL)");
            }
        }

        @Override
        public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
            if (e.event() instanceof AgentFollowed f) {
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + schema + ".follow_count VALUES (?, ?)"
                        + " ON CONFLICT (followee) DO UPDATE SET n = follow_count.n + EXCLUDED.n")) {
                    ps.setObject(1, f.followeeId());
                    ps.setInt(2, step);
                    ps.executeUpdate();
                }
            }
        }
    }

    static FollowCountsFixture db;
    static PGSimpleDataSource dataSource;
    static OutboxRelay relay;
    static ProjectionManager manager;
    static final UUID FOLLOWEE = UUID.randomUUID();
    /** Seen ids kept per partition: small, so that 250 follows over 3 partitions prune it several times. */
    static final int WINDOW = 30;

    @BeforeAll
    static void start() throws Exception {
        db = FollowCountsFixture.start("platform", "live", new OutboxRelay.Settings(100, Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ofDays(1)), 10, WINDOW);
        dataSource = db.dataSource;
        relay = db.relay;
        manager = db.manager;
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void eventsArriveOnceEvenWhenTheRelaySendsThemAgainAfterPruningAndARebuildEqualsLive() throws Exception {
        int follows = 250;
        for (int i = 0; i < follows; i++) {
            try (Connection tx = dataSource.getConnection()) {
                tx.setAutoCommit(false);
                AgentFollowed f = new AgentFollowed(UUID.randomUUID(), FOLLOWEE);
                JdbcOutbox.append(tx, f, f.followerId().toString(), "req-" + i,
                        Instant.now());
                tx.commit();
            }
        }
        await("all follows projected", () -> count() == follows);

        // A reader waiting for the projection to pass a record is told in memory: at once for a record passed,
        // after its batch has committed for one still to come, never before.
        Map<Integer, Long> ends = endOffsets();
        java.util.concurrent.atomic.AtomicInteger atOnce = new java.util.concurrent.atomic.AtomicInteger();
        manager.whenApplied("follow_counts", new TopicPartition(Topic.IDENTITY.id(), 0), ends.get(0) - 1,
                atOnce::incrementAndGet);
        assertEquals(1, atOnce.get(), "a record the projection passed already");
        Map<Integer, Integer> countsWhenTold = new java.util.concurrent.ConcurrentHashMap<>();
        ends.forEach((partition, end) -> manager.whenApplied("follow_counts",
                new TopicPartition(Topic.IDENTITY.id(), partition), end, () -> countsWhenTold.put(partition, count())));
        Thread.sleep(300);
        assertEquals(Map.of(), countsWhenTold, "no record came yet");
        int more = 30; // keys at random: every partition gets some (all but certainly)
        for (int i = 0; i < more; i++) {
            try (Connection tx = dataSource.getConnection()) {
                tx.setAutoCommit(false);
                AgentFollowed f = new AgentFollowed(UUID.randomUUID(), FOLLOWEE);
                JdbcOutbox.append(tx, f, f.followerId().toString(), "more-" + i, Instant.now());
                tx.commit();
            }
        }
        await("every waiting reader told", () -> countsWhenTold.size() == ends.size());
        countsWhenTold.values().forEach(n -> assertTrue(n > follows, "told once its record was applied: " + n));
        await("all follows projected", () -> count() == follows + more);

        // Seen ids are pruned as partitions move on: at most one and a half windows per partition remain.
        long seen = seenIds();
        assertTrue(seen <= 3 * WINDOW * 3 / 2, "the seen ids are bounded by the window, not " + seen);

        // A relay that crashed after Kafka acknowledged its last batch, but before it marked the rows, sends that
        // batch again: within the window, so every one of them is dropped.
        int resent = 20;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE outbox SET published_at = NULL WHERE seq > (SELECT max(seq) - " + resent
                    + " FROM outbox)");
        }
        long before = relay.publishedCount();
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            JdbcOutbox.append(tx, new AgentFollowed(UUID.randomUUID(), FOLLOWEE),
                    "system", "wake", Instant.now());
            tx.commit();
        }
        await("resent", () -> relay.publishedCount() >= before + resent + 1);
        Map<Integer, Long> end = endOffsets();
        await("every resent record was read", () -> storedOffsets().entrySet().containsAll(end.entrySet()));
        assertEquals(follows + more + 1, count(), "a resent event must not be applied twice");

        List<RebuildStatus> started = manager.rebuild(List.of());
        assertEquals(1, started.size());
        await("rebuild finished", () -> {
            RebuildStatus r = manager.status().get(0).rebuild();
            return r != null && r.finished();
        });
        ProjectionStatus status = manager.status().get(0);
        assertEquals(RebuildStatus.Phase.SWITCHED, status.rebuild().phase(), status.rebuild().message());
        assertEquals(0, status.rebuild().differences());
        assertTrue(status.rebuild().rowsCompared() >= 1 + 3, "follow_count and the offsets were compared");
        assertEquals(2, status.version());
        assertEquals(follows + more + 1, count(), "the rebuilt projection serves the same rows through the view");
        assertEquals(List.of(1), status.retired(), "the replaced version is kept");
        assertEquals(1, schemasNamed("proj_follow_counts_v1"), "with its schema");
        assertEquals(List.of("proj_follow_counts_v1"), manager.gc());
        assertEquals(0, schemasNamed("proj_follow_counts_v1"), "until gc drops it");
        assertEquals(List.of(), manager.status().get(0).retired());
        assertEquals(follows + more + 1, count(), "and the live version still serves");
    }

    private static int schemasNamed(String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The identity topic's end offsets now, by partition. */
    private static Map<Integer, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(SharedInfra.get().kafkaAdmin(), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(Topic.IDENTITY.id()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<Integer, Long> out = new HashMap<>();
            c.endOffsets(tps).forEach((tp, o) -> out.put(tp.partition(), o));
            return out;
        }
    }

    /** The offsets the live version has stored as applied, by partition of the identity topic. */
    private static Map<Integer, Long> storedOffsets() {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT partition, next_offset FROM " + manager.status().get(0).schema()
                     + "._applied_offsets WHERE topic = 'shoal.identity'")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static long seenIds() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + manager.status().get(0).schema()
                     + "._seen_events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count() {
        return db.count(FOLLOWEE);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        db.await(what, Duration.ofSeconds(60), condition);
    }
}
