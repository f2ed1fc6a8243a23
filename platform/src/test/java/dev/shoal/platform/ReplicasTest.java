package dev.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.platform.outbox.OutboxRelay;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.platform.sql.Sql;
import dev.shoal.testing.SharedInfra;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

/**
 * Two replicas of one service on one database, each with its own connection pool, as two pods of a deployment run:
 * one relay publishes at a time and never strands leadership in a pool; one runner applies each batch, and both
 * replicas hear every commit.
 */
class ReplicasTest {
    /**
     * Followers per agent, where a follow can arrive before its followee's registration (they are keyed by different
     * agents, so they sit in different partitions): the follow waits in {@code pending} until the agent row exists.
     * Correct when batches apply one after another; two writers at once lose follows, as PostBoard would lose votes.
     */
    static final class FollowerBoard implements Projection {
        final Set<UUID> heard = ConcurrentHashMap.newKeySet();

        @Override
        public String name() {
            return "follower_board";
        }

        @Override
        public List<Topic> topics() {
            return List.of(Topic.IDENTITY);
        }

        @Override
        public List<String> tables() {
            return List.of("board_agent", "board_pending");
        }

        @Override
        public void createTables(Connection tx, String schema) throws SQLException {
            try (Statement st = tx.createStatement()) {
                st.execute("CREATE TABLE " + schema + ".board_agent (id UUID PRIMARY KEY, followers INT NOT NULL)");
                st.execute("CREATE TABLE " + schema + ".board_pending (followee UUID PRIMARY KEY, n INT NOT NULL)");
            }
        }

        @Override
        public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
            if (e.event() instanceof AgentRegistered r) {
                Sql.update(tx, "INSERT INTO " + schema + ".board_agent SELECT ?, coalesce((SELECT n FROM " + schema
                        + ".board_pending WHERE followee = ?), 0)", r.agentId(), r.agentId());
                Sql.update(tx, "DELETE FROM " + schema + ".board_pending WHERE followee = ?", r.agentId());
            } else if (e.event() instanceof AgentFollowed f) {
                if (Sql.update(tx, "UPDATE " + schema + ".board_agent SET followers = followers + 1 WHERE id = ?",
                        f.followeeId()) == 0) {
                    Sql.update(tx, "INSERT INTO " + schema + ".board_pending VALUES (?, 1)"
                            + " ON CONFLICT (followee) DO UPDATE SET n = board_pending.n + 1", f.followeeId());
                }
            }
        }

        @Override
        public void committed(List<ProjectedEvent> events) {
            events.forEach(e -> heard.add(e.envelope().id()));
        }
    }

    static SharedInfra.Database db;
    static final List<AutoCloseable> closeLast = new ArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        db = SharedInfra.get().database("replicas");
        try (AgroalDataSource ds = pool(); Connection c = ds.getConnection()) {
            OutboxSchema.create(c);
        }
    }

    @AfterAll
    static void close() throws Exception {
        Collections.reverse(closeLast);
        for (AutoCloseable c : closeLast) {
            c.close();
        }
    }

    /** A pool like a service's: connections are reused, never closed, between borrowers. */
    static AgroalDataSource pool() throws SQLException {
        AgroalDataSource ds = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(6).acquisitionTimeout(Duration.ofSeconds(10))
                        .connectionFactoryConfiguration(cf -> cf.jdbcUrl(db.jdbcUrl())
                                .principal(new NamePrincipal(db.username()))
                                .credential(new SimplePassword(db.password())))));
        return ds;
    }

    static Map<String, Object> kafka() {
        return new HashMap<>(SharedInfra.get().kafkaAdmin());
    }

    static OutboxRelay relay(AgroalDataSource ds) {
        return new OutboxRelay(ds, kafka(), new OutboxRelay.Settings(50, Duration.ofMillis(100),
                Duration.ofMillis(100), Duration.ofDays(1)));
    }

    static void append(AgroalDataSource ds, ShoalEvent event) throws SQLException {
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            JdbcOutbox.append(tx, event, "system", "replicas", Instant.now());
            tx.commit();
        }
    }

    @Test
    void aRelayThatStopsAfterAFailedBatchLeavesTheNextReplicaFreeToPublish() throws Exception {
        AgroalDataSource poolA = pool();
        AgroalDataSource poolB = pool();
        closeLast.add(poolA);
        closeLast.add(poolB);
        OutboxRelay a = relay(poolA);
        a.start();
        append(poolA, new AgentFollowed(UUID.randomUUID(), UUID.randomUUID()));
        await("replica A publishes", () -> a.publishedCount() >= 1);

        // A batch fails (the table is briefly unreadable), then replica A's relay stops while its pool lives on.
        try (Connection c = poolB.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE outbox RENAME TO outbox_away");
        }
        await("replica A's batch fails", () -> !a.isLeader());
        try (Connection c = poolB.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE outbox_away RENAME TO outbox");
        }
        a.close();

        OutboxRelay b = relay(poolB);
        closeLast.add(b);
        b.start();
        append(poolB, new AgentFollowed(UUID.randomUUID(), UUID.randomUUID()));
        await("replica B takes over and publishes", () -> b.publishedCount() >= 1);
        assertEquals(0, unpublished(poolB), "nothing is left behind in the outbox");
    }

    @Test
    void twoReplicasApplyEveryEventOnceInOrderAndBothHearEveryCommit() throws Exception {
        AgroalDataSource poolA = pool();
        AgroalDataSource poolB = pool();
        FollowerBoard boardA = new FollowerBoard();
        FollowerBoard boardB = new FollowerBoard();
        ProjectionManager.Settings settings = new ProjectionManager.Settings("replica_live", Duration.ofMillis(20), 10,
                Duration.ofMinutes(1), 1_000);
        ProjectionManager a = new ProjectionManager(poolA, kafka(), settings, List.of(boardA));
        ProjectionManager b = new ProjectionManager(poolB, kafka(), settings, List.of(boardB));
        closeLast.add(poolA);
        closeLast.add(poolB);
        closeLast.add(a);
        closeLast.add(b);
        a.start();
        b.start();
        assertEquals("replica_live_c1", a.readSchema(), "replicas of one build share its read schema");
        assertEquals(a.readSchema(), b.readSchema());
        OutboxRelay relay = relay(poolA);
        closeLast.add(relay);
        relay.start();

        // 40 agents with 25 followers each; each agent's follows and registration shuffled together, so most
        // follows are written before the registration they wait for.
        Random random = new Random(7);
        List<UUID> agents = new ArrayList<>();
        List<ShoalEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            UUID agent = UUID.randomUUID();
            agents.add(agent);
            events.add(new AgentRegistered(agent, "board_" + i, "board_" + i, "", UUID.randomUUID(), "h", "c", "c"));
            for (int f = 0; f < 25; f++) {
                events.add(new AgentFollowed(UUID.randomUUID(), agent));
            }
        }
        Collections.shuffle(events, random);
        for (ShoalEvent e : events) {
            append(poolA, e);
        }
        List<UUID> ids = new ArrayList<>();
        try (Connection c = poolA.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT event_id FROM outbox WHERE source = 'identity-service'"
                     + " AND type IN ('shoal.agent.registered.v1', 'shoal.agent.followed.v1')")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        await("every agent has its 25 followers", () -> followers(poolA, agents) == 40 * 25);
        await("both replicas heard every commit",
                () -> boardA.heard.containsAll(ids) && boardB.heard.containsAll(ids));
        assertEquals(40 * 25, followers(poolA, agents), "no follow lost or counted twice");
        long applied = a.status().get(0).eventsApplied() + b.status().get(0).eventsApplied();
        assertTrue(applied >= events.size(), "between them the replicas applied every event");
        try (Connection c = poolA.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM replica_live_c1.board_pending p"
                     + " JOIN replica_live_c1.board_agent a ON a.id = p.followee")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no follow left waiting for an agent that exists");
        }
    }

    static long followers(AgroalDataSource ds, List<UUID> agents) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT coalesce(sum(followers), 0) FROM replica_live_c1.board_agent WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", agents.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long unpublished(AgroalDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
