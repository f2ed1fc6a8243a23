package dev.shoal.platform.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventCodec;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.MalformedEventException;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.UnknownEventTypeException;
import dev.shoal.platform.messaging.KafkaSettings;
import dev.shoal.platform.write.RestoreStatus.Phase;

/**
 * Rebuilds a service's own tables from its own topics when its database has lost them: a service's tables are a
 * projection of its own events, written only through {@link WriteModel#evolve}, so applying every event again, in the
 * order they happened, gives the same rows.
 *
 * <p>At start the service looks whether its tables were ever written ({@code own_restore}, set by the migration for a
 * database that holds streams already). If not, one replica (an advisory lock) reads the service's topics from where
 * the last restore stopped to where they end now, merges their partitions by event time (a command reads the clock
 * after it has seen what it depends on, so what an event depends on is earlier) and applies the events in batches,
 * each with the offsets it reached and the streams' versions, in one transaction. Until it is done the service is not
 * ready and {@link EventWriter} refuses commands, so no new event can be decided on half the state. A relay's resend
 * of an event is recognised by its stream version (or, for events from before versions, its id) and applied once.
 */
@ApplicationScoped
public class OwnTablesRestore {
    private static final Logger LOG = Logger.getLogger(OwnTablesRestore.class);
    private static final String LOCK = "SELECT pg_advisory_lock(hashtextextended('shoal.own-tables-restore', 0))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('shoal.own-tables-restore', 0))";
    /** Records held per partition while the merge waits for the others. */
    private static final int BUFFERED_PER_PARTITION = 2_000;
    /** Ids of unversioned events remembered to drop a resend: far more than a relay resends after a crash. */
    private static final int RECENT_IDS = 100_000;

    private final DataSource dataSource;
    private final KafkaSettings kafka;
    private final OwnEvents own;
    private final RestoreConfig config;
    private final String service;
    private final List<Runnable> afterRestored = new CopyOnWriteArrayList<>();
    private volatile RestoreStatus status = new RestoreStatus(Phase.CHECKING, 0, -1, 0, -1, Instant.now(), null,
            "looking whether the tables need restoring");
    private volatile boolean restored;
    private volatile boolean stopping;
    private Thread thread;

    public OwnTablesRestore(DataSource dataSource, KafkaSettings kafka, OwnEvents own, RestoreConfig config,
                            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.own = own;
        this.config = config;
        this.service = service;
        for (Topic t : own.topics()) {
            if (!t.owner().equals(service)) {
                throw new IllegalStateException(t.id() + " is written by " + t.owner() + ", not by " + service);
            }
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("restoring own tables from the log is off (shoal.restore.enabled=false)");
            finish(new RestoreStatus(Phase.RESTORED, 0, 0, 0, 0, Instant.now(), Instant.now(), "restore is off"));
            return;
        }
        thread = new Thread(this::run, "own-tables-restore");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Whether the tables hold every own event, so commands may be decided on them. */
    public boolean restored() {
        return restored;
    }

    public RestoreStatus status() {
        return status;
    }

    /**
     * Runs {@code work} once the tables are restored: at once (on this thread) when they are, else on the restore's
     * thread when it is done. For a start-up command, such as creating a default, that must see the restored state.
     */
    public void afterRestored(Runnable work) {
        synchronized (afterRestored) {
            if (!restored) {
                afterRestored.add(work);
                return;
            }
        }
        work.run();
    }

    private void finish(RestoreStatus done) {
        status = done;
        synchronized (afterRestored) {
            restored = true;
        }
        for (Runnable r : afterRestored) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "a start-up task after the restore failed");
            }
        }
        afterRestored.clear();
    }

    private void run() {
        long backoff = 1_000;
        while (!stopping) {
            try {
                if (isRestored()) {
                    finish(new RestoreStatus(Phase.RESTORED, 0, 0, 0, 0, status.startedAt(), Instant.now(),
                            "the tables are the writer's own: nothing to restore"));
                    return;
                }
                try (Connection lock = dataSource.getConnection()) {
                    lock.setAutoCommit(true);
                    status = new RestoreStatus(Phase.CHECKING, 0, -1, 0, -1, status.startedAt(), null,
                            "waiting for any other replica that restores");
                    execute(lock, LOCK);
                    try {
                        RestoreStatus done = isRestored()
                                ? new RestoreStatus(Phase.RESTORED, 0, 0, 0, 0, status.startedAt(), Instant.now(),
                                "another replica restored the tables")
                                : restore();
                        if (done != null) {
                            finish(done);
                            return;
                        }
                    } finally {
                        execute(lock, UNLOCK);
                    }
                }
            } catch (Exception e) {
                LOG.errorf(e, "restoring %s's tables from the log failed; trying again", service);
                RestoreStatus s = status;
                status = new RestoreStatus(Phase.FAILED, s.eventsApplied(), s.eventsLeft(), s.eventsPerSecond(), -1,
                        s.startedAt(), null, "failed: " + e.getMessage() + " (trying again; it goes on from the"
                        + " last batch applied)");
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** Applies every own event not yet applied, up to where the topics end now; null when stopped on shutdown. */
    private RestoreStatus restore() throws Exception {
        Instant started = Instant.now();
        Map<TopicPartition, Long> from = storedOffsets();
        Map<String, Long> versions = streamVersions();
        Map<String, Object> props = new HashMap<>(kafka.base());
        props.put("enable.auto.commit", "false");
        props.put("max.poll.records", "2000");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic t : own.topics()) {
                List<PartitionInfo> infos = c.partitionsFor(t.id(), Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    // Not "nothing to restore": a wrong cluster or a topic not there yet must not end in empty tables
                    // that then number new events from 1 again.
                    throw new IllegalStateException("topic " + t.id() + " is not on the broker (yet)");
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            c.assign(partitions);
            Merge merge = new Merge(partitions, end, from);
            partitions.forEach(tp -> c.seek(tp, merge.fetched.get(tp)));
            long total = merge.remaining();
            LOG.infof("restoring %s's tables from %,d events of %s", service, total, own.topics());
            long applied = 0;
            RecentIds recent = new RecentIds();
            List<Pending> batch = new ArrayList<>(config.batchSize());
            while (!merge.done()) {
                if (stopping) {
                    return null;
                }
                List<TopicPartition> wanted = merge.wanted();
                if (!wanted.isEmpty()) {
                    c.pause(partitions);
                    c.resume(wanted);
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        merge.add(r, decode(r));
                    }
                }
                for (Pending p; (p = merge.next()) != null; ) {
                    batch.add(p);
                    if (batch.size() >= config.batchSize()) {
                        applied += apply(batch, versions, recent, false, 0);
                        status = progress(started, applied, total);
                        batch.clear();
                    }
                }
            }
            applied += apply(batch, versions, recent, true, applied + batch.size());
            double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
            LOG.infof("restored %s's tables: %,d events in %.1f s", service, applied, seconds);
            return new RestoreStatus(Phase.RESTORED, applied, 0, applied / seconds, 0, started, Instant.now(),
                    "restored " + applied + " events from the log");
        }
    }

    private RestoreStatus progress(Instant started, long applied, long total) {
        double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        double rate = applied / seconds;
        long left = Math.max(0, total - applied);
        return new RestoreStatus(Phase.RESTORING, applied, left, rate, rate <= 0 ? -1 : Math.round(left / rate),
                started, null, "restoring from the log");
    }

    /**
     * Applies a batch in one transaction: each event not applied before through its write model, the streams' versions,
     * the offsets reached, and (for the last) the mark that the tables are restored. Answers the records it covered.
     */
    private int apply(List<Pending> batch, Map<String, Long> versions, RecentIds recent, boolean last, long events)
            throws Exception {
        Map<String, Long> touched = new LinkedHashMap<>();
        Map<TopicPartition, Long> reached = new LinkedHashMap<>();
        List<Pending> fresh = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            reached.put(p.tp(), p.offset() + 1);
            if (p.event() == null) {
                continue;
            }
            String stream = p.tp().topic() + "\u0000" + p.envelope().subject();
            long version = versions.getOrDefault(stream, 0L);
            long v = p.envelope().aggregateVersion();
            boolean resent = v == EventEnvelope.UNVERSIONED ? !recent.add(p.envelope().id()) : v <= version;
            if (resent) {
                continue;
            }
            fresh.add(p);
            versions.put(stream, Math.max(version, v));
            touched.put(stream, Math.max(version, v));
        }
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> transaction(fresh, touched,
                    reached, last, events)));
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return batch.size();
    }

    private Uni<Void> transaction(List<Pending> fresh, Map<String, Long> touched, Map<TopicPartition, Long> reached,
                                  boolean last, long events) {
        // An event a few milliseconds early (writers' clocks) may refer to a row later in the batch: checked at commit.
        Uni<Void> steps = mutation("SET CONSTRAINTS ALL DEFERRED", Map.of());
        for (Pending p : fresh) {
            steps = steps.chain(() -> own.evolve(p.event(), p.envelope()));
        }
        if (!touched.isEmpty()) {
            // One statement for all the batch's streams (a vote-heavy batch touches hundreds).
            String[] topics = new String[touched.size()];
            String[] subjects = new String[touched.size()];
            Long[] versions = new Long[touched.size()];
            int i = 0;
            for (Map.Entry<String, Long> s : touched.entrySet()) {
                String[] key = s.getKey().split("\u0000", 2);
                topics[i] = key[0];
                subjects[i] = key[1];
                versions[i++] = s.getValue();
            }
            steps = steps.chain(() -> mutation("""
                    INSERT INTO event_stream (topic, subject, version)
                    SELECT * FROM unnest(CAST(:topics AS text[]), CAST(:subjects AS text[]), CAST(:versions AS bigint[]))
                    ON CONFLICT (topic, subject) DO UPDATE SET version = GREATEST(event_stream.version,
                                                                              EXCLUDED.version)""",
                    Map.of("topics", topics, "subjects", subjects, "versions", versions)));
        }
        for (Map.Entry<TopicPartition, Long> o : reached.entrySet()) {
            steps = steps.chain(() -> mutation("""
                    INSERT INTO own_restore_offset (topic, partition, next_offset) VALUES (:topic, :partition, :next)
                    ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset""",
                    Map.of("topic", o.getKey().topic(), "partition", o.getKey().partition(), "next", o.getValue())));
        }
        if (last) {
            steps = steps.chain(() -> mutation("INSERT INTO own_restore (finished_at, events) VALUES (:at, :events)",
                    Map.of("at", Instant.now().atOffset(ZoneOffset.UTC), "events", events)));
        }
        return steps;
    }

    /** A native mutation, as the writer's own statements are (see {@link EventWriter} on native selects). */
    private static Uni<Void> mutation(String sql, Map<String, Object> parameters) {
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql);
            parameters.forEach(query::setParameter);
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    /** An own record decoded; a record that is not a Shoal event is logged and skipped, as the projections do. */
    private Pending decode(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        EventEnvelope envelope;
        try {
            envelope = CloudEventHeaders.fromRecord(r);
        } catch (MalformedEventException e) {
            LOG.errorf("restore skips %s@%d, which is not a Shoal event: %s", tp, r.offset(), e.getMessage());
            return new Pending(tp, r.offset(), null, null);
        }
        if (!Topic.byId(r.topic()).owner().equals(envelope.source())) {
            LOG.errorf("restore refuses event %s at %s@%d: its source %s does not own the topic", envelope.id(), tp,
                    r.offset(), envelope.source());
            return new Pending(tp, r.offset(), null, null);
        }
        try {
            return new Pending(tp, r.offset(), envelope, EventCodec.get().decode(envelope));
        } catch (MalformedEventException e) {
            LOG.errorf("restore skips event %s at %s@%d, whose data does not read: %s", envelope.id(), tp, r.offset(),
                    e.getMessage());
            return new Pending(tp, r.offset(), null, null);
        } catch (UnknownEventTypeException e) {
            // A newer build wrote it: restoring without it would lose state, so this build must not go on.
            throw new IllegalStateException("event " + envelope.id() + " at " + tp + "@" + r.offset() + " has type "
                    + envelope.type() + ", which this build cannot read: restore with the build that wrote it", e);
        }
    }

    private boolean isRestored() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM own_restore")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private Map<TopicPartition, Long> storedOffsets() throws SQLException {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT topic, partition, next_offset FROM own_restore_offset")) {
            while (rs.next()) {
                out.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return out;
    }

    private Map<String, Long> streamVersions() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT topic, subject, version FROM event_stream")) {
            while (rs.next()) {
                out.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getLong(3));
            }
        }
        return out;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A record of an own topic, decoded ({@code event} null for a record that is not a Shoal event). */
    private record Pending(TopicPartition tp, long offset, EventEnvelope envelope, ShoalEvent event) {
        Instant time() {
            return envelope == null ? Instant.MIN : envelope.time();
        }
    }

    /**
     * The own topics' partitions merged into one sequence by event time (ties by topic, partition, offset), each
     * partition in its own order, up to where each ended when the restore began.
     */
    private final class Merge {
        private final List<TopicPartition> partitions;
        private final Map<TopicPartition, Long> end;
        final Map<TopicPartition, Long> fetched = new HashMap<>();
        private final Map<TopicPartition, ArrayDeque<Pending>> buffered = new HashMap<>();
        private final Comparator<Pending> order = Comparator.comparing(Pending::time)
                .thenComparing(p -> own.topics().indexOf(Topic.byId(p.tp().topic())))
                .thenComparingInt(p -> p.tp().partition())
                .thenComparingLong(Pending::offset);

        Merge(List<TopicPartition> partitions, Map<TopicPartition, Long> end, Map<TopicPartition, Long> from) {
            this.partitions = partitions;
            this.end = end;
            for (TopicPartition tp : partitions) {
                fetched.put(tp, Math.min(from.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L)));
                buffered.put(tp, new ArrayDeque<>());
            }
        }

        long remaining() {
            long n = 0;
            for (TopicPartition tp : partitions) {
                n += end.getOrDefault(tp, 0L) - fetched.get(tp);
            }
            return n;
        }

        /** Partitions with records left to fetch and room in their buffer. */
        List<TopicPartition> wanted() {
            List<TopicPartition> out = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (fetched.get(tp) < end.getOrDefault(tp, 0L) && buffered.get(tp).size() < BUFFERED_PER_PARTITION) {
                    out.add(tp);
                }
            }
            return out;
        }

        void add(ConsumerRecord<String, byte[]> r, Pending p) {
            TopicPartition tp = p.tp();
            if (r.offset() < fetched.get(tp) || r.offset() >= end.getOrDefault(tp, 0L)) {
                return; // already merged, or past where the restore stops
            }
            buffered.get(tp).add(p);
            fetched.put(tp, r.offset() + 1);
        }

        /**
         * The earliest head of all partitions, or null while a partition that has records left has none buffered (its
         * next one might be the earliest).
         */
        Pending next() {
            Pending min = null;
            for (TopicPartition tp : partitions) {
                Pending head = buffered.get(tp).peek();
                if (head == null) {
                    if (fetched.get(tp) < end.getOrDefault(tp, 0L)) {
                        return null;
                    }
                } else if (min == null || order.compare(head, min) < 0) {
                    min = head;
                }
            }
            if (min != null) {
                buffered.get(min.tp()).poll();
            }
            return min;
        }

        boolean done() {
            for (TopicPartition tp : partitions) {
                if (!buffered.get(tp).isEmpty() || fetched.get(tp) < end.getOrDefault(tp, 0L)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Ids of recent unversioned events, oldest forgotten first. */
    private static final class RecentIds extends LinkedHashMap<UUID, Boolean> {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > RECENT_IDS;
        }

        /** False when the id was seen already. */
        boolean add(UUID id) {
            return put(id, Boolean.TRUE) == null;
        }
    }
}
