package dev.shoal.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.postgresql.ds.PGSimpleDataSource;

import dev.shoal.platform.outbox.OutboxRelay;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.testing.SharedInfra;

/**
 * A database of its own with the outbox, a running relay and a projection manager running
 * {@link OutboxRelayAndProjectionTest.FollowCounts}, read through its build's views ({@code <readSchema>_c1}): what the relay and
 * rebuild tests share.
 */
final class FollowCountsFixture implements AutoCloseable {
    final PGSimpleDataSource dataSource;
    final OutboxRelay relay;
    final ProjectionManager manager;

    private FollowCountsFixture(PGSimpleDataSource dataSource, OutboxRelay relay, ProjectionManager manager) {
        this.dataSource = dataSource;
        this.relay = relay;
        this.manager = manager;
    }

    static FollowCountsFixture start(String database, String readSchema, OutboxRelay.Settings relaySettings,
                                     long caughtUpLag, long dedupeWindow) throws SQLException, java.io.IOException {
        SharedInfra infra = SharedInfra.get();
        SharedInfra.Database db = infra.database(database);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.jdbcUrl());
        dataSource.setUser(db.username());
        dataSource.setPassword(db.password());
        try (Connection c = dataSource.getConnection()) {
            OutboxSchema.create(c);
        }
        Map<String, Object> kafka = new HashMap<>(infra.kafkaAdmin());
        OutboxRelay relay = new OutboxRelay(dataSource, kafka, relaySettings);
        ProjectionManager manager = new ProjectionManager(dataSource, kafka,
                new ProjectionManager.Settings(readSchema, Duration.ofMillis(50), caughtUpLag, Duration.ofMinutes(1),
                        dedupeWindow),
                List.of(new OutboxRelayAndProjectionTest.FollowCounts()));
        manager.start();
        relay.start();
        return new FollowCountsFixture(dataSource, relay, manager);
    }

    /** Appends {@code follows} follows of {@code followee} to the outbox in one transaction; counts them in. */
    void append(UUID followee, int follows, java.util.concurrent.atomic.AtomicInteger written) {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            for (int i = 0; i < follows; i++) {
                dev.shoal.events.FollowEvent.AgentFollowed f =
                        new dev.shoal.events.FollowEvent.AgentFollowed(UUID.randomUUID(), followee);
                JdbcOutbox.append(tx, f, f.followerId().toString(), "fixture", java.time.Instant.now());
            }
            tx.commit();
            written.addAndGet(follows);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The followee's count as this fixture's build's readers see it (through its views). */
    int count(UUID followee) {
        return count(manager.readSchema(), followee);
    }

    /** The followee's count as the readers of the build whose read schema is {@code readSchema} see it. */
    int count(String readSchema, UUID followee) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT n FROM " + readSchema
                     + ".follow_count WHERE followee = ?")) {
            ps.setObject(1, followee);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; status " + manager.status());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        relay.close();
        manager.close();
    }
}
