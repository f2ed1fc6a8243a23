package dev.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.testing.SharedInfra;
import dev.shoal.testing.TestLog;

/**
 * The finding "a lost cache invalidation serves a revoked key from memory": a batch's COMMIT succeeds in PostgreSQL
 * but its answer is lost (the connection resets during COMMIT). The runner retries; the retry finds the batch already
 * applied. The projection's in-memory followers (the gateway's key cache) must still hear of the events, and nothing
 * may be applied twice: invalidation follows the committed state, not the success of one commit call.
 */
class LostCommitAnswerTest {
    /** Follow counts that remember which events they heard committed, as a cache would. */
    static final class Heard extends FollowCountsVariant {
        /** The followees whose follows this projection's followers heard committed. */
        final Set<UUID> heard = ConcurrentHashMap.newKeySet();
        final UUID victim;
        final AtomicBoolean loseTheAnswer;

        Heard(UUID victim, AtomicBoolean loseTheAnswer) {
            this.victim = victim;
            this.loseTheAnswer = loseTheAnswer;
        }

        @Override
        public String name() {
            return "heard_counts";
        }

        @Override
        public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
            counts.apply(tx, schema, e);
            if (e.event() instanceof AgentFollowed f && f.followeeId().equals(victim)) {
                loseTheAnswer.set(true); // the COMMIT of this very transaction will "fail" after it succeeded
            }
        }

        @Override
        public void committed(List<ProjectedEvent> events) {
            for (ProjectedEvent e : events) {
                if (e.event() instanceof AgentFollowed f) {
                    heard.add(f.followeeId());
                }
            }
        }
    }

    @Test
    void aCommitWhoseAnswerIsLostIsStillHeardAndAppliedOnce() throws Exception {
        SharedInfra.Database db = SharedInfra.get().database("platform_lost_commit");
        PGSimpleDataSource real = new PGSimpleDataSource();
        real.setUrl(db.jdbcUrl());
        real.setUser(db.username());
        real.setPassword(db.password());
        AtomicBoolean loseTheAnswer = new AtomicBoolean();
        AtomicInteger lost = new AtomicInteger();
        DataSource flaky = losingCommitAnswers(real, loseTheAnswer, lost);
        UUID victim = UUID.randomUUID();
        Heard projection = new Heard(victim, loseTheAnswer);
        ProjectionManager m = new ProjectionManager(flaky, SharedInfra.get().kafkaAs("identity-service"),
                new ProjectionManager.Settings("lost_commit", Duration.ofMillis(50), 100, Duration.ofMinutes(1),
                        100_000, Duration.ofMillis(200)), List.of(projection));
        m.start();
        try {
            AgentFollowed follow = new AgentFollowed(UUID.randomUUID(), victim);
            TestLog.publish(follow);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!projection.heard.contains(victim)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("never heard: lost " + lost.get() + ", status " + m.status());
                }
                Thread.sleep(20);
            }
            assertEquals(1, lost.get(), "the answer of the batch's commit was lost once, and the retry told the"
                    + " projection's followers anyway");

            assertEquals(1, ProjectionFaultsTest.countIn(real, m.readSchema(), victim), "applied exactly once");
        } finally {
            m.close();
        }
    }

    /** A data source whose connections commit for real and then, when asked to, answer as if the link reset. */
    static DataSource losingCommitAnswers(DataSource real, AtomicBoolean loseTheAnswer, AtomicInteger lost) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (ds, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!(result instanceof Connection c)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (conn, m, a) -> {
                                Object r = invoke(c, m, a);
                                if (m.getName().equals("commit") && loseTheAnswer.compareAndSet(true, false)) {
                                    lost.incrementAndGet();
                                    throw new SQLException("An I/O error occurred while sending to the backend",
                                            "08006");
                                }
                                return r;
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
