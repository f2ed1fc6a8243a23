package dev.shoal.platform.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventCodec;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.MalformedEventException;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.UnknownEventTypeException;

/**
 * Feeds one version of a projection from the log. Each batch of records is applied, and the offsets it reached are
 * stored, in one Postgres transaction: a crash never applies an event twice or skips one. Offsets live in the
 * projection's own schema, not in Kafka, so a new version starts from 0 by starting with an empty schema. Events
 * already seen (the relay resends after a crash) are dropped by id; ids are kept for the last
 * {@code dedupeWindow} offsets of each partition, which a resend (at most a few relay batches behind its original)
 * never exceeds, so the table stays bounded.
 *
 * <p>Several replicas of a service may run a runner on the same schema. Each batch takes the projection's
 * transaction-scoped advisory lock and reads the stored offsets under it: records below them were applied by another
 * replica and are only <em>observed</em> (handed to {@link Projection#committed} so that replica-local caches are
 * cleared too), the rest are applied. So one writer applies at a time, in log order, and stored offsets only move
 * forward.
 *
 * <p>A runner can be given a bound: it applies records up to, not including, those offsets and then waits. The
 * rebuild uses this to stop the live and the new version at the same offsets and compare them.
 */
public final class ProjectionRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProjectionRunner.class);
    static final String OFFSETS_TABLE = "_applied_offsets";
    static final String SEEN_TABLE = "_seen_events";

    private final DataSource dataSource;
    private final Map<String, Object> consumerConfig;
    private final Projection projection;
    private final String schema;
    private final Duration pollTimeout;
    private final long dedupeWindow;
    /** Per partition, the half-window step at which its seen ids were last pruned (runner thread only). */
    private final Map<TopicPartition, Long> pruneStep = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> endOffsets = new ConcurrentHashMap<>();
    /** Callbacks waiting for this runner to pass a record ({@link #whenPassed}). */
    private final java.util.Queue<Waiter> waiters = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong eventsApplied = new AtomicLong();
    /** Events of a type this build does not know (a newer writer's), skipped: counted, and logged once a type. */
    private final AtomicLong unknownEvents = new AtomicLong();
    private final Set<String> unknownTypesLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Records that are not Shoal events, or events whose data does not decode, skipped: counted and logged. */
    private final AtomicLong malformedEvents = new AtomicLong();
    private final AtomicLong foreignEvents = new AtomicLong();
    /** Events set aside because they could not be applied (this version's, all replicas'), see {@link DeadLetters}. */
    private final AtomicLong deadLetters = new AtomicLong();
    /** Set aside one after another with none applied between: past {@link #DEAD_LETTERS_IN_A_ROW}, a code fault. */
    private int deadInARow;
    /** So many events in a row that cannot be applied say the projection's code is at fault, not the events. */
    static final int DEAD_LETTERS_IN_A_ROW = 100;
    private DeadLetters deadLetterTopic;
    private volatile long applyingSince;
    /** When the newest event this runner has applied or observed happened; the clock its lag in time is read on. */
    private volatile Instant newestEventTime;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile Map<TopicPartition, Long> bound;
    /** Where to begin reading when that is before the stored offsets: what lies between is only observed. */
    private volatile Map<TopicPartition, Long> observeFrom = Map.of();
    private volatile Connection inUse;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile String lastError;
    private final ConcurrentLinkedQueue<FutureTask<?>> betweenBatches = new ConcurrentLinkedQueue<>();
    private Thread thread;

    public ProjectionRunner(DataSource dataSource, Map<String, Object> consumerConfig, Projection projection,
                            String schema, Duration pollTimeout, long dedupeWindow) {
        this.dataSource = dataSource;
        this.consumerConfig = consumerConfig;
        this.projection = projection;
        this.schema = schema;
        this.pollTimeout = pollTimeout;
        this.dedupeWindow = dedupeWindow;
    }

    /** Creates the runner's bookkeeping tables in a new projection schema. */
    static void createBookkeeping(Connection tx, String schema) throws SQLException {
        try (var st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + "." + OFFSETS_TABLE
                    + " (topic TEXT NOT NULL, partition INT NOT NULL, next_offset BIGINT NOT NULL,"
                    + " PRIMARY KEY (topic, partition))");
            st.execute("CREATE TABLE " + schema + "." + SEEN_TABLE + " (event_id UUID PRIMARY KEY)");
        }
        upgradeBookkeeping(tx, schema);
    }

    /**
     * Brings a schema made by an older build up to today's bookkeeping: seen ids carry their position, so they can be
     * dropped once they are outside the window. Rows from before the upgrade have none and are kept.
     */
    static void upgradeBookkeeping(Connection tx, String schema) throws SQLException {
        try (var st = tx.createStatement()) {
            st.execute("ALTER TABLE " + schema + "." + SEEN_TABLE + " ADD COLUMN IF NOT EXISTS topic TEXT,"
                    + " ADD COLUMN IF NOT EXISTS partition INT, ADD COLUMN IF NOT EXISTS log_offset BIGINT");
            st.execute("CREATE INDEX IF NOT EXISTS " + SEEN_TABLE + "_position ON " + schema + "." + SEEN_TABLE
                    + " (topic, partition, log_offset)");
        }
        DeadLetters.createTable(tx, schema);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        holdInUse();
        running = true;
        thread = new Thread(this::run, "projection-" + schema);
        thread.setDaemon(true);
        thread.start();
    }

    public String schema() {
        return schema;
    }

    /** The advisory lock every runner of a schema holds shared while it runs, and {@code gc} needs alone to drop it. */
    static String inUseKey(String schema) {
        return "shoal.projection.in-use." + schema;
    }

    /** While this runner runs, its schema is in use: a shared session lock on a connection of its own. */
    private void holdInUse() {
        try {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(true);
            advisory(c, "pg_advisory_lock_shared", inUseKey(schema));
            inUse = c;
        } catch (SQLException e) {
            LOG.warnf("projection %s: cannot mark its schema in use (%s)", schema, e.getMessage());
        }
    }

    private void releaseInUse() {
        Connection c = inUse;
        inUse = null;
        if (c == null) {
            return;
        }
        try (c) {
            advisory(c, "pg_advisory_unlock_shared", inUseKey(schema));
        } catch (SQLException e) {
            LOG.warnf("projection %s: releasing its schema (%s)", schema, e.getMessage());
        }
    }

    public Projection projection() {
        return projection;
    }

    /** Records this runner applied (or skipped as not Shoal events) since it started; not those it only observed. */
    public long unknownEvents() {
        return unknownEvents.get();
    }

    public long malformedEvents() {
        return malformedEvents.get();
    }

    /** Events whose {@code ce_source} is not their topic's owner: refused, never applied. */
    public long foreignEvents() {
        return foreignEvents.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    /** How long the poll in hand has been applying (retries included), or 0 between polls. */
    public long applyingMillis() {
        long since = applyingSince;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    public long eventsApplied() {
        return eventsApplied.get();
    }

    /** Records in the log this runner has not applied yet, as of its last look at the end offsets. */
    public long lag() {
        if (assigned.getCount() > 0) {
            return -1;
        }
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            lag += Math.max(0, end.getValue() - committed.getOrDefault(end.getKey(), 0L));
        }
        return lag;
    }

    /**
     * How far behind the log this runner is in time: 0 when it has nothing left to read, else how long ago the newest
     * event it has reached happened (-1 before it has its partitions).
     */
    public long lagMillis() {
        long events = lag();
        if (events <= 0) {
            return events;
        }
        Instant newest = newestEventTime;
        return newest == null ? -1 : Math.max(0, Duration.between(newest, Instant.now()).toMillis());
    }

    public Map<TopicPartition, Long> committedOffsets() {
        return Map.copyOf(committed);
    }

    private record Waiter(TopicPartition partition, long offset, Runnable then) {
    }

    /**
     * Runs {@code then} once this runner has passed the record at {@code offset} of {@code partition} (applied it, or
     * found it applied by another replica, or set it aside): at once if it has, else on the runner's thread right after
     * the batch that passes it commits, so {@code then} must only hand over. A runner that stops runs every callback
     * still waiting. Lets a reader wait for the projection without asking the database again and again.
     */
    public void whenPassed(TopicPartition partition, long offset, Runnable then) {
        if (!running || passed(partition, offset)) {
            then.run();
            return;
        }
        waiters.add(new Waiter(partition, offset, then));
        if (!running || passed(partition, offset)) {
            releaseWaiters(); // a batch or a close came in between
        }
    }

    private boolean passed(TopicPartition partition, long offset) {
        return committed.getOrDefault(partition, 0L) > offset;
    }

    private void releaseWaiters() {
        for (Waiter w : waiters) {
            if ((!running || passed(w.partition(), w.offset())) && waiters.remove(w)) {
                try {
                    w.then().run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "a callback waiting for projection %s failed", schema);
                }
            }
        }
    }

    public String lastError() {
        return lastError;
    }

    /** Whether the runner's thread is still consuming (it stops only when closed or on a fault it cannot retry). */
    public boolean running() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    /**
     * Before {@link #start}: begin at these offsets where they are below the stored ones. Records in between were
     * applied by another runner and are only handed to {@link Projection#committed}, so a replica that moves its
     * runner to another version hears every change its old runner had not reached (a revoked key, for one).
     */
    public void observeFrom(Map<TopicPartition, Long> offsets) {
        this.observeFrom = Map.copyOf(offsets);
    }

    /** Waits until the runner has its partitions and knows its stored offsets. */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Applies nothing at or beyond these offsets from now on; {@code null} lifts the bound. Called from another thread,
     * it may only raise or lift a bound: a batch already polled may be applied past a lower one. To stop a runner
     * where it is, use {@link #holdWhereItIs}.
     */
    public void bound(Map<TopicPartition, Long> offsets) {
        this.bound = offsets == null ? null : Map.copyOf(offsets);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** True when a bound is set and every bounded partition has been applied up to it. */
    public boolean atBound() {
        Map<TopicPartition, Long> b = bound;
        if (b == null || assigned.getCount() > 0) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : b.entrySet()) {
            if (committed.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs work on the runner's own thread between two batches, so it never overlaps an apply (a rebuild creates its
     * indexes this way: no lock waits between the two, and no batch half-indexed).
     */
    public Future<Void> betweenBatches(SqlWork work) {
        return onRunnerThread(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Stops the runner exactly where it is, between two batches, and answers the offsets it stopped at: a bound it
     * sets on its own thread, so no batch in flight can pass it. {@link #bound} raises or lifts it afterwards.
     */
    public Future<Map<TopicPartition, Long>> holdWhereItIs() {
        return onRunnerThread(() -> {
            Map<TopicPartition, Long> here = Map.copyOf(committed);
            bound = here;
            return here;
        });
    }

    private <T> Future<T> onRunnerThread(java.util.concurrent.Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        betweenBatches.add(task);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        return task;
    }

    /** Work on the database, run between batches. */
    @FunctionalInterface
    public interface SqlWork {
        void run() throws SQLException;
    }

    @Override
    public void close() {
        running = false;
        releaseWaiters();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        releaseInUse();
    }

    private void run() {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "projection-" + schema);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // Every partition is sought to its stored offset; one the log does not hold (it lost records, or dropped them)
        // must stop the runner, never move it to the log's end or start: that would skip events without a word.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = awaitPartitions(c);
            if (partitions == null) {
                return;
            }
            c.assign(partitions);
            Map<TopicPartition, Long> stored = retrying(this::loadOffsets);
            if (stored == null) {
                return;
            }
            deadLetterTopic = new DeadLetters(consumerConfig);
            Long setAside = retrying(() -> {
                try (Connection cn = dataSource.getConnection()) {
                    return DeadLetters.count(cn, schema);
                }
            });
            deadLetters.set(setAside == null ? 0 : setAside);
            for (TopicPartition tp : partitions) {
                long next = Math.min(stored.getOrDefault(tp, 0L), observeFrom.getOrDefault(tp, Long.MAX_VALUE));
                committed.put(tp, next);
                c.seek(tp, next);
            }
            refreshEndOffsets(c);
            assigned.countDown();
            long lastEndCheck = System.currentTimeMillis();
            while (running) {
                try {
                    for (FutureTask<?> task; (task = betweenBatches.poll()) != null; ) {
                        task.run();
                    }
                    Map<TopicPartition, Long> b = bound;
                    pauseAtBound(c, b);
                    ConsumerRecords<String, byte[]> records = c.poll(pollTimeout);
                    if (!records.isEmpty()) {
                        applyWithRetry(c, records, b);
                    }
                    if (System.currentTimeMillis() - lastEndCheck > 500) {
                        refreshEndOffsets(c);
                        lastEndCheck = System.currentTimeMillis();
                    }
                } catch (WakeupException e) {
                    // a new bound or a close: loop around and look again
                }
            }
        } catch (org.apache.kafka.clients.consumer.InvalidOffsetException e) {
            // Stopped loudly: not ready, the reason in the status and the log; what it applied stays as it was.
            lastError = "stopped: the log does not hold the offsets this version applied up to (" + e.getMessage()
                    + "); it lost or dropped records, so nothing more is applied: restore the log, or rebuild from"
                    + " what it holds (./services replay)";
            LOG.errorf("projection %s %s", schema, lastError);
        } catch (RuntimeException e) {
            lastError = e.toString();
            LOG.errorf(e, "projection %s stopped", schema);
        } finally {
            consumer = null;
            running = false; // stopped for good: nobody waits for it any more
            releaseWaiters();
            betweenBatches.forEach(t -> t.cancel(false));
            if (deadLetterTopic != null) {
                deadLetterTopic.close();
            }
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
        while (running) {
            try {
                List<TopicPartition> all = new ArrayList<>();
                boolean missing = false;
                for (Topic topic : projection.topics()) {
                    List<PartitionInfo> infos = c.partitionsFor(topic.id(), Duration.ofSeconds(5));
                    if (infos == null || infos.isEmpty()) {
                        missing = true;
                        break;
                    }
                    infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
                }
                if (!missing) {
                    return all;
                }
                lastError = "waiting for topics " + projection.topics();
            } catch (WakeupException e) {
                continue;
            } catch (RuntimeException e) {
                lastError = e.toString();
            }
            sleep(1000);
        }
        return null;
    }

    private void refreshEndOffsets(KafkaConsumer<String, byte[]> c) {
        try {
            endOffsets.putAll(c.endOffsets(c.assignment(), Duration.ofSeconds(5)));
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            lastError = "end offsets: " + e;
        }
    }

    private void pauseAtBound(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> b) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : c.assignment()) {
            Long limit = b == null ? null : b.get(tp);
            if (limit != null && committed.getOrDefault(tp, 0L) >= limit) {
                pause.add(tp);
            } else {
                resume.add(tp);
            }
        }
        c.pause(pause);
        c.resume(resume);
    }

    private void applyWithRetry(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records,
                                Map<TopicPartition, Long> b) {
        applyingSince = System.nanoTime();
        try {
            applyOrSetAside(c, records, b);
        } finally {
            applyingSince = 0;
        }
    }

    private void applyOrSetAside(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records,
                                 Map<TopicPartition, Long> b) {
        long backoff = 200;
        while (running) {
            try {
                applyBatch(records, b);
                lastError = null;
                break;
            } catch (SQLException | RuntimeException e) {
                if (!DeadLetters.passing(e)) {
                    // The same events would fail again: find the one, set it aside, apply the others.
                    LOG.warnf("projection %s: batch failed (%s); applying it in halves to find the event", schema,
                            e.toString());
                    applyIsolatingTheFailure(records, b);
                    break;
                }
                // The transaction rolled back: nothing of this batch was applied. Try the same records again, so a
                // passing database fault neither skips nor reorders events.
                lastError = e.toString();
                LOG.warnf("projection %s: batch failed (%s); retrying", schema, e.toString());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
        if (b != null) {
            // Records beyond the bound were fetched but not applied; read them again when the bound is lifted.
            for (TopicPartition tp : records.partitions()) {
                c.seek(tp, committed.getOrDefault(tp, 0L));
            }
        }
    }

    /**
     * A batch that fails for a reason the database being away does not explain: applied in halves, and each half that
     * fails in halves again, so one bad record among thousands costs a few dozen batches, not thousands; a single
     * record that fails twice alike is set aside ({@link #setAside}). Halves are applied in order, so each
     * partition's records still apply in log order; a passing fault retries the same half.
     */
    private void applyIsolatingTheFailure(ConsumerRecords<String, byte[]> records, Map<TopicPartition, Long> b) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        isolate(all, b);
    }

    private void isolate(List<ConsumerRecord<String, byte[]>> records, Map<TopicPartition, Long> b) {
        int failures = 0;
        long backoff = 200;
        while (running && !records.isEmpty()) {
            try {
                applyBatch(records, b);
                return;
            } catch (SQLException | RuntimeException e) {
                if (DeadLetters.passing(e)) {
                    lastError = e.toString();
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                } else if (records.size() > 1) {
                    int half = records.size() / 2;
                    isolate(records.subList(0, half), b);
                    isolate(records.subList(half, records.size()), b);
                    return;
                } else if (++failures >= 2) {
                    ConsumerRecord<String, byte[]> r = records.get(0);
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long limit = b == null ? null : b.get(tp);
                    if (r.offset() >= committed.getOrDefault(tp, 0L) && (limit == null || r.offset() < limit)) {
                        setAside(r, e);
                    }
                    return;
                }
            }
        }
    }

    /**
     * Publishes the record to the dead-letter topic, then, under the writer lock, records it and moves the stored
     * offset past it in one transaction (unless another replica did). Published first: a crash in between publishes
     * it twice, never loses it. Too many in a row stop the runner: then the projection's code is at fault.
     */
    private void setAside(ConsumerRecord<String, byte[]> r, Exception cause) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        EventEnvelope e = readEnvelope(r);
        String error = cause.toString();
        if (++deadInARow > DEAD_LETTERS_IN_A_ROW) {
            throw new IllegalStateException(DEAD_LETTERS_IN_A_ROW + " events in a row could not be applied, the last"
                    + " at " + tp + "@" + r.offset() + " (" + error + "): the projection's code is at fault, not the"
                    + " events; stopped");
        }
        long backoff = 200;
        while (running) {
            try {
                deadLetterTopic.publish(schema, r, error);
                try (Connection tx = dataSource.getConnection()) {
                    tx.setAutoCommit(false);
                    try {
                        lockWriter(tx);
                        long storedNext = loadOffsets(tx).getOrDefault(tp, 0L);
                        if (storedNext == r.offset()) {
                            DeadLetters.record(tx, schema, r, e == null ? null : e.id(), e == null ? null : e.type(),
                                    error);
                            storeOffsets(tx, Map.of(tp, r.offset() + 1));
                            tx.commit();
                            deadLetters.incrementAndGet();
                            LOG.errorf("projection %s set aside %s-%d@%d (event %s, %s) on %s: %s", schema, r.topic(),
                                    r.partition(), r.offset(), e == null ? "?" : e.id(), e == null ? "?" : e.type(),
                                    Topic.DEAD_LETTERS, error);
                        } else {
                            tx.rollback(); // another replica applied or set it aside
                        }
                    } catch (SQLException | RuntimeException ex) {
                        tx.rollback();
                        throw ex;
                    }
                }
                committed.merge(tp, r.offset() + 1, Math::max);
                releaseWaiters();
                lastError = null;
                return;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception ex) {
                lastError = "setting aside " + tp + "@" + r.offset() + ": " + ex;
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void applyBatch(Iterable<ConsumerRecord<String, byte[]>> records, Map<TopicPartition, Long> b)
            throws SQLException {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            Long limit = b == null ? null : b.get(tp);
            if (r.offset() >= committed.getOrDefault(tp, 0L) && (limit == null || r.offset() < limit)) {
                batch.add(r);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<EventEnvelope> envelopes = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> r : batch) {
            envelopes.add(readEnvelope(r));
        }
        Map<TopicPartition, Long> position = new LinkedHashMap<>();
        Map<TopicPartition, Long> nextToApply = new LinkedHashMap<>();
        List<ProjectedEvent> heard = new ArrayList<>(batch.size());
        long applied = 0;
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try {
                lockWriter(tx);
                Map<TopicPartition, Long> stored = loadOffsets(tx);
                List<Integer> toApply = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    ConsumerRecord<String, byte[]> r = batch.get(i);
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    long storedNext = stored.getOrDefault(tp, 0L);
                    long next = nextToApply.getOrDefault(tp, storedNext);
                    if (r.offset() < storedNext) {
                        // Applied by another replica: observed only, so this replica's caches hear of it too.
                        addDecoded(heard, r, envelopes.get(i));
                    } else if (r.offset() == next) {
                        toApply.add(i);
                        nextToApply.put(tp, next + 1);
                    } else {
                        // Records between the stored offset and this one were never fetched here: read from there.
                        tx.rollback();
                        seekTo(stored);
                        return;
                    }
                    position.put(tp, r.offset() + 1);
                }
                Set<UUID> unseen = markSeen(tx, toApply, batch, envelopes);
                List<ProjectedEvent> fresh = new ArrayList<>(unseen.size());
                for (int i : toApply) {
                    EventEnvelope e = envelopes.get(i);
                    if (e != null && unseen.remove(e.id())) {
                        addDecoded(fresh, batch.get(i), e);
                    }
                }
                if (!fresh.isEmpty()) {
                    projection.applyBatch(tx, schema, fresh);
                }
                heard.addAll(fresh);
                storeOffsets(tx, nextToApply);
                pruneSeen(tx, nextToApply);
                tx.commit();
                applied = toApply.size();
            } catch (SQLException | RuntimeException e) {
                tx.rollback();
                throw e;
            }
        }
        if (!heard.isEmpty()) {
            projection.committed(heard);
        }
        committed.putAll(position);
        releaseWaiters();
        for (EventEnvelope e : envelopes) {
            if (e != null && (newestEventTime == null || e.time().isAfter(newestEventTime))) {
                newestEventTime = e.time();
            }
        }
        eventsApplied.addAndGet(applied);
        if (applied > 0) {
            deadInARow = 0;
        }
    }

    /** One writer per projection version across every replica: held until the batch's transaction ends. */
    private void lockWriter(Connection tx) throws SQLException {
        lockWriter(tx, schema);
    }

    /** Takes a projection schema's writer lock until {@code tx} ends: no replica applies a batch to it meanwhile. */
    static void lockWriter(Connection tx, String schema) throws SQLException {
        advisory(tx, "pg_advisory_xact_lock", "shoal.projection." + schema);
    }

    /**
     * Calls one of PostgreSQL's advisory-lock functions on a key (hashed to its 64-bit lock id); answers false only
     * when a {@code try} function did not get the lock.
     */
    static boolean advisory(Connection c, String function, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(hashtextextended(?, 0))")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && !Boolean.FALSE.equals(rs.getObject(1));
            }
        }
    }

    private void seekTo(Map<TopicPartition, Long> stored) {
        KafkaConsumer<String, byte[]> c = consumer;
        for (TopicPartition tp : c.assignment()) {
            long next = Math.max(stored.getOrDefault(tp, 0L), committed.getOrDefault(tp, 0L));
            c.seek(tp, next);
        }
    }

    private void addDecoded(List<ProjectedEvent> out, ConsumerRecord<String, byte[]> r, EventEnvelope e) {
        if (e == null) {
            return;
        }
        ShoalEvent event = decode(e);
        if (event != null && !event.topic().id().equals(r.topic())) {
            // Its type belongs on another topic: the owner of this one did not write it as its own.
            foreignEvents.incrementAndGet();
            LOG.errorf("projection %s refuses event %s at %s-%d@%d: its type %s belongs on %s", schema, e.id(),
                    r.topic(), r.partition(), r.offset(), e.type(), event.topic().id());
            return;
        }
        if (event != null) {
            out.add(new ProjectedEvent(r.topic(), r.partition(), r.offset(), e, event));
        }
    }

    private EventEnvelope readEnvelope(ConsumerRecord<String, byte[]> r) {
        try {
            EventEnvelope e = CloudEventHeaders.fromRecord(r);
            if (!Topic.byId(r.topic()).owner().equals(e.source())) {
                // Only the owner may write a topic (the broker's ACLs say so too): anything else is a forgery or a
                // misconfigured writer, and never applied.
                long n = foreignEvents.incrementAndGet();
                if (n <= 100 || n % 1000 == 0) {
                    LOG.errorf("projection %s refuses event %s at %s-%d@%d: its source %s does not own %s"
                            + " (%d refused so far)", schema, e.id(), r.topic(), r.partition(), r.offset(), e.source(),
                            r.topic(), n);
                }
                return null;
            }
            return e;
        } catch (MalformedEventException e) {
            malformedEvents.incrementAndGet();
            LOG.errorf("projection %s skips a record that is not a Shoal event (%s-%d at %d): %s", schema, r.topic(),
                    r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }

    private ShoalEvent decode(EventEnvelope e) {
        try {
            return EventCodec.get().decode(e);
        } catch (UnknownEventTypeException ex) {
            // A newer writer's type: this build has nothing to do with it. Counted, and said once a type.
            unknownEvents.incrementAndGet();
            if (unknownTypesLogged.add(e.type()) && unknownTypesLogged.size() <= 1000) {
                LOG.warnf("projection %s skips events of type %s, which this build does not know (first: %s);"
                        + " counted in its status", schema, e.type(), e.id());
            }
            return null;
        } catch (MalformedEventException ex) {
            malformedEvents.incrementAndGet();
            LOG.errorf("projection %s skips event %s: %s", schema, e.id(), ex.getMessage());
            return null;
        }
    }

    /** Records the ids of the records to apply as seen, with their positions, and answers which of them were new. */
    private Set<UUID> markSeen(Connection tx, List<Integer> toApply, List<ConsumerRecord<String, byte[]>> batch,
                               List<EventEnvelope> envelopes) throws SQLException {
        Set<UUID> fresh = new HashSet<>();
        Map<UUID, Integer> firstOf = new LinkedHashMap<>();
        for (int i : toApply) {
            if (envelopes.get(i) != null) {
                firstOf.putIfAbsent(envelopes.get(i).id(), i);
            }
        }
        if (firstOf.isEmpty()) {
            return fresh;
        }
        int n = firstOf.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        int k = 0;
        for (Map.Entry<UUID, Integer> e : firstOf.entrySet()) {
            ConsumerRecord<String, byte[]> r = batch.get(e.getValue());
            ids[k] = e.getKey();
            topics[k] = r.topic();
            partitions[k] = r.partition();
            offsets[k] = r.offset();
            k++;
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + schema + "." + SEEN_TABLE
                + " (event_id, topic, partition, log_offset)"
                + " SELECT * FROM unnest(?::uuid[], ?::text[], ?::int[], ?::bigint[])"
                + " ON CONFLICT DO NOTHING RETURNING event_id")) {
            ps.setArray(1, tx.createArrayOf("uuid", ids));
            ps.setArray(2, tx.createArrayOf("text", topics));
            ps.setArray(3, tx.createArrayOf("int", partitions));
            ps.setArray(4, tx.createArrayOf("bigint", offsets));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return fresh;
    }

    /**
     * Forgets the ids that have fallen out of the window behind each partition's position, each time a partition
     * has moved on by half a window: so a partition keeps at most one and a half windows of ids, deleted in chunks.
     */
    private void pruneSeen(Connection tx, Map<TopicPartition, Long> reached) throws SQLException {
        long half = Math.max(1, dedupeWindow / 2);
        Map<TopicPartition, Long> due = new HashMap<>();
        reached.forEach((tp, next) -> {
            if (!Long.valueOf(next / half).equals(pruneStep.get(tp))) {
                due.put(tp, next);
            }
        });
        if (due.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM " + schema + "." + SEEN_TABLE
                + " WHERE topic = ? AND partition = ? AND log_offset < ?")) {
            for (Map.Entry<TopicPartition, Long> e : due.entrySet()) {
                ps.setString(1, e.getKey().topic());
                ps.setInt(2, e.getKey().partition());
                ps.setLong(3, e.getValue() - dedupeWindow);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        // If this batch rolls back, the ids stay half a window longer: the next step deletes them.
        due.forEach((tp, next) -> pruneStep.put(tp, next / half));
    }

    private void storeOffsets(Connection tx, Map<TopicPartition, Long> reached) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + schema + "." + OFFSETS_TABLE
                + " (topic, partition, next_offset) VALUES (?, ?, ?)"
                + " ON CONFLICT (topic, partition) DO UPDATE"
                + " SET next_offset = GREATEST(" + OFFSETS_TABLE + ".next_offset, EXCLUDED.next_offset)")) {
            for (Map.Entry<TopicPartition, Long> e : reached.entrySet()) {
                ps.setString(1, e.getKey().topic());
                ps.setInt(2, e.getKey().partition());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Map<TopicPartition, Long> loadOffsets() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return loadOffsets(c);
        }
    }

    private Map<TopicPartition, Long> loadOffsets(Connection c) throws SQLException {
        return storedOffsets(c, schema);
    }

    /** The offsets a projection schema has applied up to, whichever replica applied them, as {@code c} sees them. */
    static Map<TopicPartition, Long> storedOffsets(Connection c, String schema) throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT topic, partition, next_offset FROM " + schema + "." + OFFSETS_TABLE);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return offsets;
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private <T> T retrying(SqlCall<T> call) {
        while (running) {
            try {
                return call.call();
            } catch (SQLException e) {
                lastError = e.toString();
                sleep(1000);
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
