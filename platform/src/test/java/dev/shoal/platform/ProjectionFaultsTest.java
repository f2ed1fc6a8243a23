package dev.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.platform.outbox.OutboxRelay;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.platform.projection.ProjectionStatus;
import dev.shoal.testing.SharedInfra;

/**
 * What a projection does with a log it cannot simply apply: events of a type this build does not know and records
 * that are not Shoal events are skipped, counted and logged, and the next events applied; an event that cannot be
 * applied is set aside on the dead-letter topic and the projection moves on; a stored position the log does not hold
 * (a broker that lost data) stops it loudly, never skips.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ProjectionFaultsTest {
    static FollowCountsFixture db;
    static final UUID FOLLOWEE = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        db = FollowCountsFixture.start("platform_faults", "live_faults", new OutboxRelay.Settings(100,
                Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofDays(1)), 100, 100_000);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static ProducerRecord<String, byte[]> unknownType() {
        EventEnvelope e = new EventEnvelope(UUID.randomUUID(), Topic.IDENTITY.owner(), "shoal.agent.teleported.v1",
                UUID.randomUUID().toString(), Instant.now(), "system", "faults", EventEnvelope.UNVERSIONED,
                "{\"where\":\"moon\"}".getBytes(StandardCharsets.UTF_8));
        return CloudEventHeaders.toRecord(Topic.IDENTITY.id(), e);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void unknownTypesAndForeignRecordsAreSkippedCountedAndTheNextEventsApplied() throws Exception {
        AtomicInteger written = new AtomicInteger();
        db.append(FOLLOWEE, 5, written);
        await("the first follows", () -> db.count(FOLLOWEE) == 5);
        ProjectionStatus before = db.manager.status().get(0);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(SharedInfra.get().kafkaAdmin(), new StringSerializer(), new ByteArraySerializer())) {
            p.send(unknownType()).get();
            p.send(unknownType()).get();
            p.send(new ProducerRecord<>(Topic.IDENTITY.id(), "k", "not an event".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        db.append(FOLLOWEE, 3, written);
        await("the follows after them", () -> db.count(FOLLOWEE) == 8);
        ProjectionStatus after = db.manager.status().get(0);
        assertEquals(2, after.unknownEvents() - before.unknownEvents(), after.toString());
        assertEquals(1, after.malformedEvents() - before.malformedEvents(), after.toString());
        assertTrue(db.manager.started());
    }

    @Test
    @org.junit.jupiter.api.Order(2) // stops the fixture's projection
    void aStoredPositionTheLogDoesNotHoldStopsTheProjectionLoudly() throws Exception {
        AtomicInteger written = new AtomicInteger();
        UUID followee = UUID.randomUUID();
        db.append(followee, 4, written);
        await("applied", () -> db.count(followee) == 4);
        String schema = db.manager.status().get(0).schema();
        ProjectionManager lost = null;
        db.manager.close();
        try {
            // As if the broker lost its last records: every stored position is past the log's end.
            try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE " + schema + "._applied_offsets SET next_offset = next_offset + 1000");
            }
            lost = new ProjectionManager(db.dataSource, SharedInfra.get().kafkaAdmin(), new ProjectionManager.Settings("live_faults",
                    Duration.ofMillis(50), 100, Duration.ofMinutes(1), 100_000, Duration.ofMillis(200)),
                    List.of(new OutboxRelayAndProjectionTest.FollowCounts()));
            lost.start();
            ProjectionManager m = lost;
            await("it stops and says why", () -> String.valueOf(m.status().get(0).lastError())
                    .contains("does not hold the offsets"));
            assertFalse(lost.started(), "not ready");
            db.append(followee, 2, written);
            Thread.sleep(1000);
            assertEquals(4, db.count(followee), "nothing skipped to, nothing applied");
        } finally {
            if (lost != null) {
                lost.close();
            }
        }
    }

    /**
     * {@link OutboxRelayAndProjectionTest.FollowCounts} under another name, which cannot take a follow of
     * {@link #POISON}: as a unique index refusing a duplicate name.
     */
    static final class PoisonedCounts extends FollowCountsVariant {
        static final UUID POISON = UUID.randomUUID();

        @Override
        public String name() {
            return "poisoned_counts";
        }

        @Override
        public void apply(Connection tx, String schema, dev.shoal.platform.projection.ProjectedEvent e)
                throws java.sql.SQLException {
            if (e.event() instanceof dev.shoal.events.FollowEvent.AgentFollowed f && f.followeeId().equals(POISON)) {
                throw new java.sql.SQLException("duplicate key value violates unique constraint", "23505");
            }
            counts.apply(tx, schema, e);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void anEventThatCannotBeAppliedIsSetAsideOnTheDeadLetterTopicAndTheProjectionMovesOn() throws Exception {
        ProjectionManager m = poisonedManager();
        try {
            AtomicInteger written = new AtomicInteger();
            UUID followee = UUID.randomUUID();
            db.append(followee, 3, written);
            db.append(PoisonedCounts.POISON, 1, written);
            db.append(followee, 3, written);
            String schema = m.status().get(0).schema();
            long appliedBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count(schema, followee) != 6) {
                if (System.nanoTime() > appliedBy) {
                    throw new AssertionError("the follows on both sides of the poison were not applied: "
                            + count(schema, followee) + "; " + m.status());
                }
                Thread.sleep(50);
            }
            // The dead letter is counted once its send is acknowledged, which may come after the rows are visible.
            ProjectionStatus s = m.status().get(0);
            long countedBy = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.deadLetters() == 0 && System.nanoTime() < countedBy) {
                Thread.sleep(20);
                s = m.status().get(0);
            }
            assertEquals(1, s.deadLetters(), s.toString());
            assertTrue(m.started(), "still ready: it moved on");
            assertEquals(null, s.lastError());
            // On the topic as stored, with the error and where it came from.
            try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c =
                         new org.apache.kafka.clients.consumer.KafkaConsumer<>(SharedInfra.get().kafkaAdmin(),
                                 new org.apache.kafka.common.serialization.StringDeserializer(),
                                 new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(
                        Topic.DEAD_LETTERS, 0);
                List<org.apache.kafka.common.TopicPartition> all = c.partitionsFor(Topic.DEAD_LETTERS).stream()
                        .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
                c.assign(all);
                c.seekToBeginning(all);
                String found = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (found == null && System.nanoTime() < deadline) {
                    for (var r : c.poll(Duration.ofMillis(200))) {
                        var h = r.headers().lastHeader("shoal_dlq_projection");
                        if (h != null && new String(h.value(), StandardCharsets.UTF_8).equals(schema)) {
                            found = new String(r.headers().lastHeader("shoal_dlq_error").value(),
                                    StandardCharsets.UTF_8);
                            assertEquals(CloudEventHeaders.fromRecord(r).data().length, r.value().length);
                        }
                    }
                }
                assertTrue(found != null && found.contains("duplicate key"), "on " + Topic.DEAD_LETTERS + ": " + found);
                assertTrue(tp.topic().equals(Topic.DEAD_LETTERS));
            }
        } finally {
            m.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aProjectionFallenBehindOrStuckIsNotReadyUntilItCatchesUp() throws Exception {
        ProjectionManager m = poisonedManager();
        Duration maxLag = Duration.ofSeconds(1);
        try {
            await("ready", () -> m.notReadyBecause(maxLag) == null);
            String schema = m.status().get(0).schema();
            AtomicInteger written = new AtomicInteger();
            UUID followee = UUID.randomUUID();
            // Another session holds the version's writer lock: nothing applies, as with a stuck database.
            try (Connection held = db.dataSource.getConnection(); Statement st = held.createStatement()) {
                st.execute("SELECT pg_advisory_lock(hashtextextended('shoal.projection." + schema + "', 0))");
                db.append(followee, 2, written);
                await("not ready once it is more than a second behind", () -> m.notReadyBecause(maxLag) != null);
                String why = m.notReadyBecause(maxLag);
                assertTrue(why.contains("behind the log") || why.contains("applying one poll"), why);
                assertEquals(0, count(schema, followee));
            }
            await("ready again once it has caught up", () -> m.notReadyBecause(maxLag) == null);
            assertEquals(2, count(schema, followee));
        } finally {
            m.close();
        }
    }

    /** A build of {@link PoisonedCounts}, started (every one of them a replica of the same version). */
    static ProjectionManager poisonedManager() throws java.sql.SQLException {
        ProjectionManager m = new ProjectionManager(db.dataSource, SharedInfra.get().kafkaAdmin(), new ProjectionManager.Settings("live_poisoned",
                Duration.ofMillis(50), 100, Duration.ofMinutes(1), 100_000, Duration.ofMillis(200)),
                List.of(new PoisonedCounts()));
        m.start();
        return m;
    }

    static int count(String schema, UUID followee) {
        return countIn(db.dataSource, schema, followee);
    }

    static int countIn(javax.sql.DataSource dataSource, String schema, UUID followee) {
        try (Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT n FROM " + schema + ".follow_count WHERE followee = ?")) {
            ps.setObject(1, followee);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        db.await(what, Duration.ofSeconds(30), condition);
    }
}
