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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topics;
import dev.shoal.events.identity.AgentFollowed;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.outbox.OutboxRelay;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.platform.projection.ProjectionStatus;
import dev.shoal.platform.projection.RebuildStatus;
import dev.shoal.testing.SharedInfra;

/** The outbox, the relay, the projection runner and the rebuild, together on the real Kafka and PostgreSQL. */
class OutboxRelayAndProjectionTest {
    /** Counts follows per followee: enough to see an event applied twice or missed. */
    static final class FollowCounts implements Projection {
        @Override
        public String name() {
            return "follow_counts";
        }

        @Override
        public List<String> topics() {
            return List.of(Topics.IDENTITY);
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
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + schema + ".follow_count VALUES (?, 1)"
                        + " ON CONFLICT (followee) DO UPDATE SET n = follow_count.n + 1")) {
                    ps.setObject(1, f.followeeId());
                    ps.executeUpdate();
                }
            }
        }
    }

    static PGSimpleDataSource dataSource;
    static OutboxRelay relay;
    static ProjectionManager manager;
    static final UUID FOLLOWEE = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        SharedInfra infra = SharedInfra.get();
        SharedInfra.Database db = infra.database("platform");
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.jdbcUrl());
        dataSource.setUser(db.username());
        dataSource.setPassword(db.password());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             InputStream ddl = OutboxRelay.class.getResourceAsStream("/db/outbox/V0_1__outbox.sql")) {
            st.execute(new String(ddl.readAllBytes(), StandardCharsets.UTF_8));
        }
        Map<String, Object> kafka = new HashMap<>(Map.of("bootstrap.servers", infra.bootstrapServers()));
        relay = new OutboxRelay(dataSource, kafka, new OutboxRelay.Settings(100, Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ofDays(1)));
        manager = new ProjectionManager(dataSource, kafka,
                new ProjectionManager.Settings("live", Duration.ofMillis(50), 10, Duration.ofMinutes(1)),
                List.of(new FollowCounts()));
        manager.start();
        relay.start();
    }

    @AfterAll
    static void stop() {
        relay.close();
        manager.close();
    }

    @Test
    void eventsArriveOnceEvenWhenTheRelaySendsThemAgainAndARebuildEqualsLive() throws Exception {
        int follows = 250;
        for (int i = 0; i < follows; i++) {
            try (Connection tx = dataSource.getConnection()) {
                tx.setAutoCommit(false);
                AgentFollowed f = new AgentFollowed(UUID.randomUUID(), FOLLOWEE);
                Outbox.append(tx, Topics.IDENTITY, EventEnvelope.of("test", f, f.followerId().toString(), "req-" + i,
                        Instant.now()));
                tx.commit();
            }
        }
        await("all follows projected", () -> count() == follows);

        // A relay that crashed after Kafka acknowledged but before it marked the rows sends them all again.
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE outbox SET published_at = NULL");
        }
        long before = relay.publishedCount();
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            Outbox.append(tx, Topics.IDENTITY, EventEnvelope.of("test", new AgentFollowed(UUID.randomUUID(), FOLLOWEE),
                    "system", "wake", Instant.now()));
            tx.commit();
        }
        await("resent", () -> relay.publishedCount() >= before + follows + 1);
        Thread.sleep(1000); // the runner looks at the log's end offsets twice a second
        await("caught up", () -> manager.status().get(0).lag() == 0 && count() >= follows + 1);
        assertEquals(follows + 1, count(), "a resent event must not be applied twice");

        List<RebuildStatus> started = manager.rebuild(List.of());
        assertEquals(1, started.size());
        await("rebuild finished", () -> {
            RebuildStatus r = manager.status().get(0).rebuild();
            return r != null && r.finished();
        });
        ProjectionStatus status = manager.status().get(0);
        assertEquals(RebuildStatus.Phase.SWITCHED, status.rebuild().phase(), status.rebuild().message());
        assertEquals(0, status.rebuild().differences());
        assertTrue(status.rebuild().rowsCompared() > follows, "follow_count, offsets and seen ids were compared");
        assertEquals(2, status.version());
        assertEquals(follows + 1, count(), "the rebuilt projection serves the same rows through the view");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'proj_follow_counts_v1'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the old version is dropped after the switch");
        }
    }

    private static int count() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT n FROM live.follow_count WHERE followee = ?")) {
            ps.setObject(1, FOLLOWEE);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; status " + manager.status());
            }
            Thread.sleep(50);
        }
    }
}
