package dev.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
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
 * update or a blue/green deploy runs them: it builds its own version from offset 0 without touching the live one's
 * tables, is ready only once it has caught up, then takes the live version over; each build's readers read its own
 * version all along (its read schema), so the old build still serves the old rows while both run. The old build's
 * version is kept, so starting the old code again and adopting moves the live version back. Readers never see an error
 * or a count neither build makes.
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
        String oldReads = db.manager.readSchema();
        assertEquals("live_code_c1", oldReads);

        // Readers of each build keep reading through the switches: the old build's always the old code's count, the
        // new build's (once it exists) always a multiple of ten.
        AtomicReference<String> newReads = new AtomicReference<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                try {
                    int before = written.get();
                    int n = db.count(oldReads, FOLLOWEE);
                    if (n > written.get()) {
                        throw new AssertionError("the old build read a count its code does not make: " + n
                                + " (written " + before + ")");
                    }
                    String other = newReads.get();
                    if (other != null && db.count(other, FOLLOWEE) % 10 != 0) {
                        throw new AssertionError("the new build read a count its code does not make");
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
            assertEquals("live_code_c2", newBuild.readSchema(), "the new code reads a schema of its own");
            newReads.set(newBuild.readSchema());
            ProjectionStatus building = newBuild.status().get(0);
            assertFalse(newBuild.started(), "not ready while its version is built");
            assertTrue(building.building());
            assertEquals(2, building.codeVersion());
            assertTrue(building.version() > 1, "the new code builds a version of its own");
            await("the new build is ready once its version has caught up", newBuild::started);
            append(50, written);
            await("the new build's readers read the new code's rows",
                    () -> db.count(newBuild.readSchema(), FOLLOWEE) == 10 * written.get());
            await("the old build's readers still read the old code's rows", () -> db.count(FOLLOWEE) == written.get());
            ProjectionStatus old = db.manager.status().get(0);
            assertEquals(1, old.version(), "the old build goes on with its own version");
            assertEquals(1, old.codeVersion());
            assertEquals(List.of(), newBuild.gc(), "gc keeps the replaced version while the old build applies to it");
            readsGoOn(reads, "while both builds serve");
        } finally {
            newReads.set(null); // its readers go with it (gc drops its read schema below)
            newBuild.close();
        }

        // Rolling back: the old code starts again and finds its version kept (and kept up to date by the old build).
        // It does not take the live version back until an operator asks for it.
        append(20, written);
        ProjectionManager rolledBack = manager(1, 1);
        try {
            assertEquals(oldReads, rolledBack.readSchema());
            assertFalse(rolledBack.status().get(0).building(), "an older build does not take the readers back by itself");
            await("the old build has applied the latest follows to its own version",
                    () -> rolledBack.status().get(0).lag() == 0);
            rolledBack.adopt(List.of());
            await("the old build is ready", rolledBack::started);
            await("its readers read the old code's rows", () -> db.count(FOLLOWEE) == written.get());
            assertEquals(1, rolledBack.status().get(0).version());
            List<String> dropped = rolledBack.gc();
            assertEquals(2, dropped.size(), "gc drops the new build's version and its read schema: " + dropped);
            assertTrue(dropped.contains("live_code_c2"), dropped.toString());
            readsGoOn(reads, "after the rollback");
        } finally {
            rolledBack.close();
            reading.set(false);
            reader.join();
        }
        assertEquals(null, readFailure.get(), "no read failed during the switches");
    }

    /**
     * The reader completes two more reads from here (one may have begun before): the readers read in this phase. A
     * count of reads over the whole test would depend on the machine's speed (94 on a busy 2-core run).
     */
    private static void readsGoOn(AtomicInteger reads, String phase) throws Exception {
        int mark = reads.get();
        await("readers read " + phase, () -> reads.get() >= mark + 2);
    }

    private static ProjectionManager manager(int step, int codeVersion) throws SQLException {
        ProjectionManager m = new ProjectionManager(db.dataSource,
                SharedInfra.get().kafkaAdmin(),
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
