package dev.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.shoal.platform.outbox.OutboxRelay;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.platform.projection.ProjectionStatus;
import dev.shoal.testing.SharedInfra;

/**
 * A build whose projection code changed (each follow now counts ten) starts beside the running one, as a rolling
 * update runs them: it builds its own version from offset 0 without touching the live one's tables, is ready only
 * once it has caught up, then moves the readers to its rows; the old build goes on with its own version, which is
 * kept, so starting the old code again moves the readers back. Readers never see an error or a half-built table.
 */
class CodeVersionTest {
    static FollowCountsFixture db;
    static final UUID FOLLOWEE = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        db = FollowCountsFixture.start("platform_code", "live_code", new OutboxRelay.Settings(100,
                Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofDays(1)), 100, 100_000);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void aChangedProjectionIsBuiltBesideTheLiveOneThenServedAndTheOldBuildCanSwitchBack() throws Exception {
        AtomicInteger written = new AtomicInteger();
        append(300, written);
        await("the old build counts every follow once", () -> db.count(FOLLOWEE) == written.get());

        // Readers keep reading through the switches; each answer must come from one build's rows or the other's.
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                try {
                    int n = db.count(FOLLOWEE);
                    // the old code's count (at most what was written) or the new code's (ten a follow)
                    if (n > written.get() && n % 10 != 0) {
                        throw new AssertionError("a count neither build makes: " + n);
                    }
                    reads.incrementAndGet();
                } catch (Throwable t) {
                    readFailure.compareAndSet(null, t);
                }
            }
        }, "reader");
        reader.start();

        ProjectionManager newBuild = manager(10, 2);
        try {
            ProjectionStatus building = newBuild.status().get(0);
            assertFalse(newBuild.started(), "not ready while its version is built");
            assertTrue(building.building());
            assertEquals(2, building.codeVersion());
            assertTrue(building.version() > 1, "the new code builds a version of its own");
            await("the new build is ready once its version has caught up", newBuild::started);
            append(50, written);
            await("readers read the new code's rows", () -> db.count(FOLLOWEE) == 10 * written.get());
            ProjectionStatus old = db.manager.status().get(0);
            assertEquals(1, old.version(), "the old build goes on with its own version");
            assertEquals(1, old.codeVersion());
            assertEquals(List.of(), newBuild.gc(), "gc keeps the replaced version while the old build applies to it");
        } finally {
            newBuild.close();
        }

        // Rolling back: the old code starts again and finds its version kept (and kept up to date by the old build).
        // Readers stay on the newer code until an operator asks for the old one.
        int servedByNewCode = db.count(FOLLOWEE);
        append(20, written);
        ProjectionManager rolledBack = manager(1, 1);
        try {
            assertFalse(rolledBack.status().get(0).building(), "an older build does not take the readers back by itself");
            await("the old build has applied the latest follows to its own version",
                    () -> rolledBack.status().get(0).lag() == 0);
            assertEquals(servedByNewCode, db.count(FOLLOWEE), "readers are still on the newer code's version");
            rolledBack.adopt(List.of());
            await("the old build is ready", rolledBack::started);
            await("readers read the old code's rows again", () -> db.count(FOLLOWEE) == written.get());
            assertEquals(1, rolledBack.status().get(0).version());
            List<String> dropped = rolledBack.gc();
            assertEquals(1, dropped.size(), "gc drops the new build's version: " + dropped);
        } finally {
            rolledBack.close();
            reading.set(false);
            reader.join();
        }
        assertEquals(null, readFailure.get(), "no read failed during the switches");
        assertTrue(reads.get() > 100, "readers read throughout (" + reads.get() + " reads)");
    }

    private static ProjectionManager manager(int step, int codeVersion) throws SQLException {
        ProjectionManager m = new ProjectionManager(db.dataSource,
                Map.of("bootstrap.servers", SharedInfra.get().bootstrapServers()),
                new ProjectionManager.Settings("live_code", Duration.ofMillis(50), 100, Duration.ofMinutes(1),
                        100_000, Duration.ofMillis(200)),
                List.of(new OutboxRelayAndProjectionTest.FollowCounts(step, codeVersion)));
        m.start();
        return m;
    }

    private static void append(int follows, AtomicInteger written) {
        db.append(FOLLOWEE, follows, written);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        db.await(what, Duration.ofSeconds(60), condition);
    }
}
