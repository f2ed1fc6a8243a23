package dev.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.shoal.platform.outbox.OutboxRelay;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.platform.projection.ProjectionStatus;
import dev.shoal.platform.projection.RebuildStatus;
import dev.shoal.testing.SharedInfra;

/**
 * A rebuild while events keep arriving, on one of two replicas: live and rebuilt must be compared at exactly the same
 * offsets although the other replica's runner goes on applying to the live version, nothing written during the
 * rebuild may be lost at the switch, and the other replica must move to the new version. (A quiet log and one replica
 * hide all three: there, any stop point is the end of the log.)
 */
class RebuildUnderLoadTest {
    static FollowCountsFixture db;
    /** A second replica of the same service: its own runner on the same schemas, its own follower. */
    static ProjectionManager other;
    static final UUID FOLLOWEE = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        db = FollowCountsFixture.start("platform_rebuild", "live_load", new OutboxRelay.Settings(50,
                Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofDays(1)), 100, 100_000);
        other = new ProjectionManager(db.dataSource, SharedInfra.get().kafkaAdmin(),
                new ProjectionManager.Settings("live_load", Duration.ofMillis(50), 100, Duration.ofMinutes(1), 100_000,
                        Duration.ofMillis(200)),
                List.of(new OutboxRelayAndProjectionTest.FollowCounts()));
        other.start();
    }

    @AfterAll
    static void stop() {
        other.close();
        db.close();
    }

    @Test
    void aRebuildUnderSteadyWritesStopsBothAtTheSameOffsetsAndLosesNothingAtTheSwitch() throws Exception {
        AtomicInteger written = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            append(100, written);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                append(5, written); // about a thousand events a second, in many small commits
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "steady-writes");
        writer.start();
        try {
            await("the live version is applying", () -> count() > 2000);
            db.manager.rebuild(List.of());
            await("rebuild finished", () -> {
                RebuildStatus r = db.manager.status().get(0).rebuild();
                return r != null && r.finished();
            });
            int writtenAtSwitch = written.get();
            ProjectionStatus status = db.manager.status().get(0);
            assertEquals(RebuildStatus.Phase.SWITCHED, status.rebuild().phase(), status.rebuild().message());
            assertEquals(0, status.rebuild().differences());
            assertEquals(2, status.version());
            await("the other replica moved to the new version", () -> other.status().get(0).version() == 2
                    && other.status().get(0).schema().endsWith("_v2"));
            await("writes go on after the switch", () -> written.get() > writtenAtSwitch + 500);
        } finally {
            writing.set(false);
            writer.join();
        }
        int total = written.get();
        await("every follow written is counted once by the new version", () -> count() == total);
        assertEquals(List.of(1), db.manager.status().get(0).retired());
        // Either replica collects the replaced version, once no runner of either applies to it any more.
        List<String> dropped = new java.util.ArrayList<>();
        await("gc drops the replaced version", () -> {
            try {
                dropped.addAll(other.gc());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return !dropped.isEmpty();
        });
        assertEquals(List.of("proj_follow_counts_v1"), dropped);
        assertEquals(total, count());

        // Two replicas asked to rebuild at once: one rebuilds, the other refuses rather than build the same version.
        db.manager.rebuild(List.of());
        other.rebuild(List.of());
        await("both rebuilds ended", () -> db.manager.status().get(0).rebuild().finished()
                && other.status().get(0).rebuild().finished());
        List<RebuildStatus> both = List.of(db.manager.status().get(0).rebuild(), other.status().get(0).rebuild());
        assertEquals(1, both.stream().filter(r -> r.phase() == RebuildStatus.Phase.SWITCHED).count(), both.toString());
        assertTrue(both.stream().anyMatch(r -> r.phase() == RebuildStatus.Phase.FAILED
                && r.message().contains("another replica is rebuilding")), both.toString());
        await("both replicas apply to the new version", () -> other.status().get(0).version() == 3
                && db.manager.status().get(0).version() == 3);
        assertEquals(total, count());
    }

    private static void append(int follows, AtomicInteger written) {
        db.append(FOLLOWEE, follows, written);
    }

    private static int count() {
        return db.count(FOLLOWEE);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        db.await(what, Duration.ofSeconds(90), condition);
    }
}
