package dev.shoal.platform.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.shoal.platform.projection.RebuildStatus.Phase;

/**
 * Runs a service's projections and rebuilds them without downtime.
 *
 * <p>Version N of a projection lives in schema {@code proj_<name>_v<N>}; readers see it through views of the same
 * table names in their build's read schema ({@link #readSchema()}: one per set of code versions, so two builds running
 * side by side during a deploy each read the versions their own code made). A rebuild creates version N+1 and feeds it from offset 0 while N keeps
 * serving; once N+1 has nearly caught up, it holds where it is, and snapshots of the database are taken until one shows
 * N (applied by this replica's runner or another's) at least as far on every partition. N's tables are digested in
 * that snapshot; N+1 then goes exactly to N's offsets there and is digested too, while N goes on applying. When the
 * digests agree, the views are switched to N+1 in a transaction that holds both versions' writer locks, once N+1 has
 * applied at least as far as N; N's schema is kept (retired) until {@link #gc}, and every other replica's runner moves
 * to N+1 within {@link Settings#followInterval}. When they differ, N stays live, N+1 is dropped, and the differences
 * are reported.
 */
public final class ProjectionManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProjectionManager.class);
    private static final Pattern IDENT = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    /** Held while a replica sets projections up, numbers a new version, or collects old ones. */
    private static final String SET_UP_LOCK = "SELECT pg_advisory_xact_lock(7428311)";

    /**
     * @param caughtUpLag  a rebuild stops catching up and starts aligning below this many records left
     * @param dedupeWindow how many offsets behind its position each partition's seen event ids are kept
     * @param followInterval how often a replica looks whether another one switched a projection
     */
    public record Settings(String readSchema, Duration pollTimeout, long caughtUpLag, Duration alignTimeout,
                           long dedupeWindow, Duration followInterval) {
        public Settings(String readSchema, Duration pollTimeout, long caughtUpLag, Duration alignTimeout,
                        long dedupeWindow) {
            this(readSchema, pollTimeout, caughtUpLag, alignTimeout, dedupeWindow, Duration.ofSeconds(1));
        }

        public Settings {
            requireIdent(readSchema);
            if (dedupeWindow < 1) {
                throw new IllegalArgumentException("the dedupe window must be at least one offset");
            }
        }
    }

    private final DataSource dataSource;
    private final Map<String, Object> consumerConfig;
    private final Settings settings;
    private final Map<String, Projection> projections = new LinkedHashMap<>();
    private final String buildReadSchema;
    private final Map<String, ProjectionRunner> live = new HashMap<>();
    private final Map<String, Integer> liveVersion = new HashMap<>();
    private final Map<String, RebuildStatus> rebuilds = new HashMap<>();
    private Thread rebuildThread;
    private Thread follower;
    /** Holds this build's read schema in use (a shared session lock) while the manager runs: gc leaves it. */
    private Connection readSchemaInUse;
    private volatile boolean closed;
    /** Projections whose version this build is building beside the live one; readers move to it once caught up. */
    private final java.util.Set<String> pendingSwitch = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ProjectionManager(DataSource dataSource, Map<String, Object> consumerConfig, Settings settings,
                             List<Projection> projections) {
        this.dataSource = dataSource;
        this.consumerConfig = consumerConfig;
        this.settings = settings;
        for (Projection p : projections) {
            requireIdent(p.name());
            p.tables().forEach(ProjectionManager::requireIdent);
            this.projections.put(p.name(), p);
        }
        this.buildReadSchema = requireIdent(settings.readSchema() + "_c" + this.projections.values().stream()
                .sorted(java.util.Comparator.comparing(Projection::name))
                .map(p -> String.valueOf(p.codeVersion())).collect(java.util.stream.Collectors.joining("_")));
    }

    /**
     * The schema this build's readers query: the configured read schema, suffixed with the code versions of the
     * service's projections in name order ({@code feed_c2_1_1}). Replicas of one build share it; a build with other
     * code reads its own, whose views point at the versions that code made.
     */
    public String readSchema() {
        return buildReadSchema;
    }

    /** Creates version 1 of each projection on first start, then starts every live runner. */
    public synchronized void start() throws SQLException {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try (Statement st = tx.createStatement()) {
                // One replica at a time sets projections up.
                st.execute(SET_UP_LOCK);
                st.execute("CREATE TABLE IF NOT EXISTS shoal_projection (name TEXT PRIMARY KEY,"
                        + " active_version INT NOT NULL, switched_at TIMESTAMPTZ NOT NULL)");
                // Which code version built the live one (see Projection.codeVersion).
                st.execute("ALTER TABLE shoal_projection ADD COLUMN IF NOT EXISTS code_version INT NOT NULL DEFAULT 1");
                // Versions that are not live but kept: one being built by a newer (or older) build, or one a switch
                // replaced, kept (for a rollback) until gc.
                st.execute("CREATE TABLE IF NOT EXISTS shoal_projection_kept (name TEXT NOT NULL, version INT NOT NULL,"
                        + " code_version INT NOT NULL, state TEXT NOT NULL CHECK (state IN ('building', 'retired')),"
                        + " since TIMESTAMPTZ NOT NULL, PRIMARY KEY (name, version))");
                st.execute("CREATE SCHEMA IF NOT EXISTS " + buildReadSchema);
            }
            for (Projection p : projections.values()) {
                Optional<Active> active = active(tx, p.name());
                int version;
                if (active.isEmpty()) {
                    version = 1;
                    createVersion(tx, p, version, true);
                    try (PreparedStatement ps = tx.prepareStatement("INSERT INTO shoal_projection (name,"
                            + " active_version, code_version, switched_at) VALUES (?, ?, ?, now())")) {
                        ps.setString(1, p.name());
                        ps.setInt(2, version);
                        ps.setInt(3, p.codeVersion());
                        ps.executeUpdate();
                    }
                } else if (active.get().codeVersion() == p.codeVersion()) {
                    version = active.get().version();
                    ProjectionRunner.upgradeBookkeeping(tx, schemaOf(p, version));
                } else {
                    // Another build's code made the live version: never apply this code to its tables. Go on with
                    // a version this code built (one being built, or one a switch replaced), or start one.
                    Optional<Integer> kept = keptVersion(tx, p.name(), p.codeVersion());
                    version = kept.isPresent() ? kept.get() : nextVersion(tx, p.name());
                    if (kept.isPresent()) {
                        ProjectionRunner.upgradeBookkeeping(tx, schemaOf(p, version));
                    } else {
                        createVersion(tx, p, version, true);
                    }
                    keep(tx, p.name(), version, p.codeVersion(), "building");
                    // Readers move forward by themselves; back to an older code version only when asked (adopt).
                    boolean newer = p.codeVersion() > active.get().codeVersion();
                    if (newer) {
                        pendingSwitch.add(p.name());
                    }
                    LOG.infof("projection %s: the live v%d is code version %d, this build's is %d: %s v%d beside it%s",
                            p.name(), active.get().version(), active.get().codeVersion(), p.codeVersion(),
                            kept.isPresent() ? "going on with" : "building", version,
                            newer ? "; readers move to it once it has caught up" : "; readers stay on the newer one");
                }
                pointViews(tx, p, version); // this build reads what it applies to, live or not
                liveVersion.put(p.name(), version);
            }
            tx.commit();
        }
        readSchemaInUse = dataSource.getConnection();
        readSchemaInUse.setAutoCommit(true);
        ProjectionRunner.advisory(readSchemaInUse, "pg_advisory_lock_shared", ProjectionRunner.inUseKey(buildReadSchema));
        for (Projection p : projections.values()) {
            ProjectionRunner runner = runner(p, liveVersion.get(p.name()));
            live.put(p.name(), runner);
            runner.start();
        }
        follower = new Thread(this::followSwitches, "projection-follower");
        follower.setDaemon(true);
        follower.start();
    }

    /**
     * Another replica may switch a projection to a rebuilt version: the views then point at it already, and this
     * replica's runner moves to it too, so every replica applies to the version readers read.
     */
    private void followSwitches() {
        while (!closed) {
            try {
                Thread.sleep(settings.followInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Map<String, Active> active = new HashMap<>();
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name, active_version, code_version FROM shoal_projection")) {
                while (rs.next()) {
                    active.put(rs.getString(1), new Active(rs.getInt(2), rs.getInt(3)));
                }
            } catch (SQLException e) {
                LOG.warnf("projection versions unreadable: %s", e.getMessage());
                continue;
            }
            active.forEach(this::follow);
            for (String name : List.copyOf(pendingSwitch)) {
                switchToOwnCode(name, active.get(name));
            }
        }
    }

    /**
     * Moves the readers to the version this build built, once it has nearly caught up (and, under the live version's
     * writer lock, applied at least as far as the live one); the replaced version is kept for a rollback.
     */
    private void switchToOwnCode(String name, Active current) {
        Projection p = projections.get(name);
        Applying now = applying(name);
        ProjectionRunner mine = now.runner();
        int version = now.version();
        if (current != null && (current.version() == version || current.codeVersion() == p.codeVersion())) {
            // Another replica of this build switched already (to this version, or to a newer rebuild of the same
            // code, which the follower moves this one to): nothing to switch.
            pendingSwitch.remove(name);
            return;
        }
        long lag = mine.lag();
        if (current == null || lag < 0 || lag > settings.caughtUpLag()) {
            return;
        }
        try {
            switchWhenCaughtUp(p, current.version(), version, mine,
                    tx -> keep(tx, name, current.version(), current.codeVersion(), "retired"));
            pendingSwitch.remove(name);
            LOG.infof("projection %s: readers switched from v%d (code version %d) to v%d (code version %d);"
                    + " v%d is kept", name, current.version(), current.codeVersion(), version, p.codeVersion(),
                    current.version());
        } catch (Exception e) {
            LOG.warnf("projection %s: switching to v%d failed (%s); trying again", name, version, e.getMessage());
        }
    }

    /**
     * Moves the readers of the named projections (all when none is named) to this build's versions once they have
     * caught up, also back to an older code version: the rollback of a deploy, asked for by an operator.
     */
    public synchronized void adopt(List<String> names) {
        List<String> chosen = names == null || names.isEmpty() ? names() : List.copyOf(names);
        for (String n : chosen) {
            if (!projections.containsKey(n)) {
                throw new IllegalArgumentException("no projection named " + n + "; this service has " + names());
            }
        }
        pendingSwitch.addAll(chosen);
    }

    private void follow(String name, Active active) {
        ProjectionRunner old = swapTo(name, active);
        if (old != null) {
            old.close(); // outside the monitor: closing may wait for a batch
        }
    }

    /** Starts a runner on the version another replica switched to, if this build should follow; answers the old one. */
    private synchronized ProjectionRunner swapTo(String name, Active active) {
        Integer mine = liveVersion.get(name);
        RebuildStatus rebuilding = rebuilds.get(name);
        Projection p = projections.get(name);
        int version = active.version();
        if (closed || p == null || mine == null || mine == version || pendingSwitch.contains(name)
                || active.codeVersion() != p.codeVersion() || (rebuilding != null && !rebuilding.finished())) {
            return null; // nothing new, or another build's version: this one goes on with its own
        }
        try (Connection tx = dataSource.getConnection()) {
            // The switching replica pointed its build's views; a build of other code that shares this projection's
            // code version reads it through views of its own, which move here.
            tx.setAutoCommit(false);
            pointViews(tx, p, version);
            tx.commit();
        } catch (SQLException e) {
            LOG.warnf("projection %s: cannot point %s at v%d yet (%s); trying again", name, buildReadSchema, version,
                    e.getMessage());
            return null;
        }
        ProjectionRunner old = live.get(name);
        ProjectionRunner next = runner(p, version);
        next.observeFrom(old.committedOffsets()); // what the old runner had not reached, this replica still hears
        next.start();
        live.put(name, next);
        liveVersion.put(name, version);
        LOG.infof("projection %s: another replica switched it to v%d; this one applies to v%d now", name, version,
                version);
        return old;
    }

    public synchronized List<ProjectionStatus> status() {
        List<ProjectionStatus> out = new ArrayList<>();
        for (Projection p : projections.values()) {
            ProjectionRunner r = live.get(p.name());
            out.add(new ProjectionStatus(p.name(), liveVersion.getOrDefault(p.name(), 0), p.codeVersion(),
                    pendingSwitch.contains(p.name()),
                    r == null ? null : r.schema(), r == null ? -1 : r.lag(), r == null ? -1 : r.lagMillis(),
                    r == null ? 0 : r.eventsApplied(), r == null ? 0 : r.unknownEvents(),
                    r == null ? 0 : r.malformedEvents(), r == null ? 0 : r.foreignEvents(),
                    r == null ? 0 : r.deadLetters(),
                    r == null ? null : r.lastError(), rebuilds.get(p.name()), retired(p.name())));
        }
        return out;
    }

    /** An event to wait for: its topic's name and its id. */
    public record Awaited(String topic, UUID event) {
    }

    /**
     * Waits, at most {@code timeout}, until every live projection of this replica that reads each event's topic has
     * applied it (the event is among its seen ids, committed with what it changed; another replica's commit counts
     * too). Answers whether they all have; true at once when no projection here reads those topics. One connection
     * for the whole wait, asking again after 5 ms, then less and less often. An event older than the seen ids'
     * window reads as not applied: callers wait only for writes seconds old.
     */
    public boolean awaitApplied(List<Awaited> events, Duration timeout) throws InterruptedException {
        List<String> schemas = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        synchronized (this) {
            for (Awaited a : events) {
                for (Projection p : projections.values()) {
                    ProjectionRunner r = live.get(p.name());
                    if (r != null && p.topics().stream().anyMatch(t -> t.id().equals(a.topic()))) {
                        schemas.add(r.schema());
                        ids.add(a.event());
                    }
                }
            }
        }
        if (schemas.isEmpty()) {
            return true;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < schemas.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append("EXISTS (SELECT 1 FROM ").append(schemas.get(i)).append('.')
                    .append(ProjectionRunner.SEEN_TABLE).append(" WHERE event_id = ?)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            c.setAutoCommit(true);
            for (int i = 0; i < ids.size(); i++) {
                ps.setObject(i + 1, ids.get(i));
            }
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return true;
                    }
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                Thread.sleep(Math.max(1, Math.min(pause, left)));
                pause = Math.min(50, pause * 2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell whether " + events + " were applied", e);
        }
    }

    public List<String> names() {
        return List.copyOf(projections.keySet());
    }

    /** Whether every live runner has read its stored offsets and has a partition assignment. */
    /**
     * Runs {@code then} once the live version of projection {@code name} has passed the record at {@code offset} of
     * {@code partition} ({@link ProjectionRunner#whenPassed}); at once when it has no live version.
     */
    public void whenApplied(String name, TopicPartition partition, long offset, Runnable then) {
        ProjectionRunner runner;
        synchronized (this) {
            runner = live.get(name);
        }
        if (runner == null) {
            then.run();
        } else {
            runner.whenPassed(partition, offset, then);
        }
    }

    /**
     * Whether every live runner has read its stored offsets and has a partition assignment, and readers read what
     * this build's code makes (no version of its own is still being built beside another build's).
     */
    public synchronized boolean started() {
        return live.size() == projections.size() && pendingSwitch.isEmpty()
                && live.values().stream().allMatch(r -> r.running() && r.lag() >= 0);
    }

    /**
     * Why this build should not take calls now, or null when it may: it has not started (or builds a version of its
     * own beside another build's), a projection stopped, or a projection is behind the log and its newest applied
     * event is older than {@code maxLag} (it fell behind, or it is stuck: then with its last error).
     */
    public synchronized String notReadyBecause(Duration maxLag) {
        for (Projection p : projections.values()) {
            ProjectionRunner r = live.get(p.name());
            if (r == null) {
                return p.name() + " is starting";
            }
            if (!r.running()) {
                return p.name() + " stopped" + (r.lastError() == null ? "" : ": " + r.lastError());
            }
        }
        if (!started()) {
            return pendingSwitch.isEmpty() ? "starting" : "building " + String.join(", ", pendingSwitch)
                    + " beside the live version";
        }
        for (Projection p : projections.values()) {
            ProjectionRunner r = live.get(p.name());
            long stuck = r.applyingMillis();
            if (stuck > maxLag.toMillis()) {
                return String.format("%s has been applying one poll for %d s (more than %d s)%s", p.name(),
                        stuck / 1000, maxLag.toSeconds(), r.lastError() == null ? "" : ": " + r.lastError());
            }
            long behind = r.lagMillis();
            if (behind > maxLag.toMillis()) {
                return String.format("%s is %,d records and %d s behind the log (more than %d s)%s", p.name(), r.lag(),
                        behind / 1000, maxLag.toSeconds(), r.lastError() == null ? "" : ": " + r.lastError());
            }
        }
        return null;
    }

    /**
     * Starts rebuilding the named projections (all when empty), one after another, in the background.
     *
     * @throws IllegalStateException    when a rebuild is already running
     * @throws IllegalArgumentException when a name is not a projection of this service
     */
    public synchronized List<RebuildStatus> rebuild(List<String> names) {
        if (rebuildThread != null && rebuildThread.isAlive()) {
            throw new IllegalStateException("a rebuild is already running");
        }
        List<String> chosen = names == null || names.isEmpty() ? names() : List.copyOf(names);
        for (String n : chosen) {
            if (!projections.containsKey(n)) {
                throw new IllegalArgumentException("no projection named " + n + "; this service has " + names());
            }
            if (pendingSwitch.contains(n)) {
                throw new IllegalStateException(n + " is being built for this build's code version; replay it after");
            }
        }
        List<RebuildStatus> started = new ArrayList<>();
        for (String n : chosen) {
            int from = liveVersion.get(n);
            RebuildStatus s = new RebuildStatus(n, from, from + 1, Phase.CATCHING_UP, 0, -1, 0, -1, 0, -1,
                    Instant.now(), null, "starting");
            rebuilds.put(n, s);
            started.add(s);
        }
        rebuildThread = new Thread(() -> chosen.forEach(this::rebuildOne), "projection-rebuild");
        rebuildThread.setDaemon(true);
        rebuildThread.start();
        return started;
    }

    private void rebuildOne(String name) {
        Projection p = projections.get(name);
        Applying now = applying(name);
        ProjectionRunner old = now.runner();
        int from = now.version();
        // One rebuild of a projection at a time across replicas: a session lock on a connection held for it.
        String lock = "shoal.rebuild." + p.name();
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(true);
            if (!ProjectionRunner.advisory(held, "pg_try_advisory_lock", lock)) {
                report(name, from, from + 1, Phase.FAILED, null, Instant.now(), -1, -1,
                        "failed: another replica is rebuilding " + name);
                return;
            }
            try {
                Optional<Active> active = active(held, name);
                if (active.isEmpty() || active.get().version() != from) {
                    report(name, from, from + 1, Phase.FAILED, null, Instant.now(), -1, -1, "failed: v"
                            + active.map(Active::version).orElse(0) + " is live, this replica has not moved to it"
                            + " yet; try again in a moment");
                    return;
                }
                rebuildOne(p, old, from);
            } finally {
                ProjectionRunner.advisory(held, "pg_advisory_unlock", lock);
            }
        } catch (SQLException e) {
            report(name, from, from + 1, Phase.FAILED, null, Instant.now(), -1, -1, "failed: " + e.getMessage());
        }
    }

    private void rebuildOne(Projection p, ProjectionRunner old, int from) {
        String name = p.name();
        // Rebuilds of one request run one after another: each one's clock starts when it does.
        Instant started = Instant.now();
        ProjectionRunner fresh = null;
        int to;
        try {
            to = createBuilding(p);
        } catch (SQLException e) {
            report(name, from, from + 1, Phase.FAILED, null, started, -1, -1, "failed: " + e.getMessage());
            return;
        }
        try {
            fresh = runner(p, to);
            fresh.start();
            if (!fresh.awaitAssigned(Duration.ofMinutes(1))) {
                throw new IllegalStateException("the new version found no partitions to read: " + fresh.lastError());
            }
            awaitCaughtUp(name, from, to, fresh, started);
            // The readers' indexes, built once over the loaded rows, on the runner's thread between two batches.
            report(name, from, to, Phase.INDEXING, fresh, started, -1, -1, "creating indexes");
            Future<Void> indexed = fresh.betweenBatches(() -> {
                try (Connection tx = dataSource.getConnection()) {
                    tx.setAutoCommit(false);
                    p.createIndexes(tx, schemaOf(p, to));
                    tx.commit();
                }
            });
            while (!indexed.isDone()) {
                if (!fresh.running()) {
                    throw new IllegalStateException("the new version stopped: " + fresh.lastError());
                }
                Thread.sleep(100);
            }
            try {
                indexed.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("creating the indexes failed: " + e.getCause(), e.getCause());
            }
            awaitCaughtUp(name, from, to, fresh, started);
            report(name, from, to, Phase.ALIGNING, fresh, started, -1, -1, "aligning at the same offsets");
            Map<String, TableDigest> liveDigests = new LinkedHashMap<>();
            Map<TopicPartition, Long> stop = liveSnapshotCovering(p, schemaOf(p, from), fresh, liveDigests);
            // The rebuilt version goes to exactly where the live one's snapshot stood, and is read there.
            fresh.bound(stop);
            long deadline = System.nanoTime() + settings.alignTimeout().toNanos();
            while (!fresh.atBound()) {
                if (!fresh.running() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the rebuilt version did not reach the live one's offsets in time");
                }
                Thread.sleep(5);
            }
            report(name, from, to, Phase.COMPARING, fresh, started, -1, -1, "comparing row by row");
            Map<String, TableDigest> rebuiltDigests = new LinkedHashMap<>();
            try (Connection snapshot = snapshot()) {
                digest(snapshot, p, schemaOf(p, to), rebuiltDigests);
            }
            fresh.bound(null);
            long[] compared = differences(liveDigests, rebuiltDigests);
            if (compared[1] != 0) {
                fresh.close();
                forget(p, to);
                try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                    for (String t : liveDigests.keySet()) {
                        if (!liveDigests.get(t).equals(rebuiltDigests.get(t))) {
                            logDifferences(st, schemaOf(p, from) + "." + t, schemaOf(p, to) + "." + t);
                        }
                    }
                }
                dropSchema(schemaOf(p, to));
                report(name, from, to, Phase.FAILED, fresh, started, compared[0], compared[1],
                        "rebuilt differs from live in " + compared[1] + " of " + liveDigests.size() + " tables ("
                                + disagreeing(liveDigests, rebuiltDigests) + "); live version kept");
                return;
            }
            // Readers move to the rebuilt version only once it holds at least what the live one holds at that moment.
            switchWhenCaughtUp(p, from, to, fresh, tx -> keep(tx, name, from, p.codeVersion(), "retired"));
            synchronized (this) {
                live.put(name, fresh);
                liveVersion.put(name, to);
            }
            old.close();
            report(name, from, to, Phase.SWITCHED, fresh, started, compared[0], 0,
                    "rebuilt equals live (" + compared[0] + " rows); switched to v" + to);
        } catch (Exception e) {
            LOG.errorf(e, "rebuild of %s failed", name);
            if (old != null) {
                old.bound(null);
            }
            if (fresh != null && live.get(name) != fresh) {
                fresh.close();
                try {
                    dropSchema(schemaOf(p, to));
                    forget(p, to);
                } catch (SQLException ignored) {
                    // left as a version being built; gc does not touch it, a later rebuild numbers past it
                }
            }
            report(name, from, to, Phase.FAILED, fresh, started, -1, -1, "failed: " + e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<TopicPartition, Long> held(Future<Map<TopicPartition, Long>> hold, ProjectionRunner r,
                                                  long deadline) throws Exception {
        while (true) {
            try {
                return hold.get(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!r.running() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("a runner did not stop to align: " + r.lastError());
                }
            }
        }
    }

    /** A table's rows summed up: how many, and a sum of a 64-bit hash of each (so the order of rows does not count). */
    record TableDigest(long rows, String hashSum) {
    }

    /** A read-only repeatable-read transaction whose snapshot is taken at once. */
    private Connection snapshot() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            }
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Holds the rebuilt runner where it is and takes snapshots of the live version until one has applied at least as
     * far on every partition (the live version is written by this replica's runner or another's, and only goes
     * forward); digests the live tables in that snapshot and answers the offsets it stood at.
     */
    private Map<TopicPartition, Long> liveSnapshotCovering(Projection p, String liveSchema, ProjectionRunner fresh,
                                                         Map<String, TableDigest> digests) throws Exception {
        long deadline = System.nanoTime() + settings.alignTimeout().toNanos();
        Map<TopicPartition, Long> held = held(fresh.holdWhereItIs(), fresh, deadline);
        while (true) {
            try (Connection snapshot = snapshot()) {
                Map<TopicPartition, Long> at = ProjectionRunner.storedOffsets(snapshot, liveSchema);
                if (held.entrySet().stream().allMatch(e -> at.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    digest(snapshot, p, liveSchema, digests);
                    Map<TopicPartition, Long> stop = new HashMap<>();
                    held.keySet().forEach(tp -> stop.put(tp, at.getOrDefault(tp, 0L)));
                    return stop;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the live version did not reach the rebuilt one's offsets in time");
            }
            Thread.sleep(20);
        }
    }

    /** Digests every table of the projection and its applied offsets, as {@code snapshot} sees them. */
    private static void digest(Connection snapshot, Projection p, String schema, Map<String, TableDigest> out)
            throws SQLException {
        List<String> tables = new ArrayList<>(p.tables());
        tables.add(ProjectionRunner.OFFSETS_TABLE);
        try (Statement st = snapshot.createStatement()) {
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(('x' || substr(md5(x::text), 1, 16))"
                        + "::bit(64)::bigint::numeric), 0)::text FROM " + schema + "." + t + " x")) {
                    rs.next();
                    out.put(t, new TableDigest(rs.getLong(1), rs.getString(2)));
                }
            }
        }
    }

    /** {rows in live, tables that differ}. */
    private static long[] differences(Map<String, TableDigest> live, Map<String, TableDigest> rebuilt) {
        long rows = live.values().stream().mapToLong(TableDigest::rows).sum();
        long differ = live.entrySet().stream().filter(e -> !e.getValue().equals(rebuilt.get(e.getKey()))).count();
        return new long[] {rows, differ};
    }

    private static String disagreeing(Map<String, TableDigest> live, Map<String, TableDigest> rebuilt) {
        List<String> out = new ArrayList<>();
        live.forEach((t, d) -> {
            if (!d.equals(rebuilt.get(t))) {
                out.add(t + ": live " + d.rows() + " rows, rebuilt " + rebuilt.get(t).rows());
            }
        });
        return String.join("; ", out);
    }

    /** Statements that must commit with a switch (what the switch replaced, kept in the same transaction). */
    @FunctionalInterface
    private interface SwitchWork {
        void run(Connection tx) throws SQLException;
    }

    /**
     * Points the readers' views at the new version in one transaction: it takes the live version's writer lock (no
     * replica applies a batch to it meanwhile), waits there until the new version has applied at least as far, and
     * switches, with {@code alsoThen} in the same transaction. Readers never see the log go back, and the live
     * version waits at most for the new one's next batch or two.
     */
    private void switchWhenCaughtUp(Projection p, int from, int to, ProjectionRunner fresh, SwitchWork alsoThen)
            throws Exception {
        long deadline = System.nanoTime() + settings.alignTimeout().toNanos();
        // Only the partitions the new version reads count (a new code version may read other topics).
        java.util.Set<TopicPartition> mine = fresh.committedOffsets().keySet();
        while (true) {
            // First without any lock, until the new version has reached the live one.
            while (!reached(storedOffsets(schemaOf(p, to)), storedOffsets(schemaOf(p, from)), mine)) {
                if (!fresh.running() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the new version did not catch up with the live one in time");
                }
                Thread.sleep(20);
            }
            try (Connection tx = dataSource.getConnection()) {
                tx.setAutoCommit(false);
                try {
                    // The row lock orders switches of one projection; a switch planned on a live version that has
                    // been replaced since is abandoned, not applied over the newer one.
                    try (PreparedStatement ps = tx.prepareStatement(
                            "SELECT active_version FROM shoal_projection WHERE name = ? FOR UPDATE")) {
                        ps.setString(1, p.name());
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next() || rs.getInt(1) != from) {
                                throw new IllegalStateException("v" + from + " is no longer the live version");
                            }
                        }
                    }
                    ProjectionRunner.lockWriter(tx, schemaOf(p, from));
                    Map<TopicPartition, Long> liveAt = ProjectionRunner.storedOffsets(tx, schemaOf(p, from));
                    long lockedUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    boolean caughtUp;
                    while (!(caughtUp = reached(ProjectionRunner.storedOffsets(tx, schemaOf(p, to)), liveAt, mine))
                            && System.nanoTime() < lockedUntil && fresh.running()) {
                        Thread.sleep(5); // the live version waits at most a moment
                    }
                    if (caughtUp) {
                        pointViews(tx, p, to);
                        try (PreparedStatement ps = tx.prepareStatement("UPDATE shoal_projection SET"
                                + " active_version = ?, code_version = ?, switched_at = now() WHERE name = ?")) {
                            ps.setInt(1, to);
                            ps.setInt(2, p.codeVersion());
                            ps.setString(3, p.name());
                            ps.executeUpdate();
                        }
                        forget(tx, p.name(), to);
                        alsoThen.run(tx);
                        tx.commit();
                        return;
                    }
                    tx.rollback();
                } catch (Exception e) {
                    tx.rollback();
                    throw e;
                }
            }
        }
    }

    /** Whether {@code fresh} has applied at least as far as {@code live} on every partition in {@code partitions}. */
    private static boolean reached(Map<TopicPartition, Long> fresh, Map<TopicPartition, Long> live,
                                   java.util.Set<TopicPartition> partitions) {
        return partitions.stream().allMatch(tp -> fresh.getOrDefault(tp, 0L) >= live.getOrDefault(tp, 0L));
    }

    private Map<TopicPartition, Long> storedOffsets(String schema) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ProjectionRunner.storedOffsets(c, schema);
        }
    }

    private void awaitCaughtUp(String name, int from, int to, ProjectionRunner fresh, Instant started)
            throws InterruptedException {
        while (true) {
            if (!fresh.running()) {
                throw new IllegalStateException("the new version stopped: " + fresh.lastError());
            }
            long left = fresh.lag();
            report(name, from, to, Phase.CATCHING_UP, fresh, started, -1, -1, "catching up");
            if (left >= 0 && left <= settings.caughtUpLag()) {
                return;
            }
            Thread.sleep(250);
        }
    }

    private synchronized void report(String name, int from, int to, Phase phase, ProjectionRunner fresh,
                                     Instant started, long rows, long differences, String message) {
        long applied = fresh == null ? 0 : fresh.eventsApplied();
        long left = fresh == null ? -1 : phase == Phase.SWITCHED ? 0 : fresh.lag();
        double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        double rate = applied / seconds;
        long eta = left < 0 || rate <= 0 ? -1 : Math.round(left / rate);
        boolean done = phase == Phase.SWITCHED || phase == Phase.FAILED;
        rebuilds.put(name, new RebuildStatus(name, from, to, phase, applied, left, rate, eta, rows, differences,
                started, done ? Instant.now() : null, message));
    }

    /**
     * Logs a few rows found on one side only, so an operator sees what a failed rebuild disagreed on (read after the
     * comparison, so rows the live version applied since may show too).
     */
    private static void logDifferences(Statement st, String live, String rebuilt) throws SQLException {
        for (String[] side : new String[][] {{live, rebuilt, "live only"}, {rebuilt, live, "rebuilt only"}}) {
            try (ResultSet rs = st.executeQuery("SELECT x::text FROM (SELECT * FROM " + side[0] + " EXCEPT ALL"
                    + " SELECT * FROM " + side[1] + ") x LIMIT 3")) {
                while (rs.next()) {
                    LOG.warnf("rebuild compare %s, %s: %s", live, side[2], rs.getString(1));
                }
            }
        }
    }

    private ProjectionRunner runner(Projection p, int version) {
        return new ProjectionRunner(dataSource, consumerConfig, p, schemaOf(p, version), settings.pollTimeout(),
                settings.dedupeWindow());
    }

    private static String schemaOf(Projection p, int version) {
        return "proj_" + p.name() + "_v" + version;
    }

    private static void createVersion(Connection tx, Projection p, int version, boolean withIndexes)
            throws SQLException {
        String schema = schemaOf(p, version);
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        ProjectionRunner.createBookkeeping(tx, schema);
        p.createTables(tx, schema);
        if (withIndexes) {
            p.createIndexes(tx, schema);
        }
    }

    /** Points this build's views of the projection at a version (one build's code: always the same columns). */
    private void pointViews(Connection tx, Projection p, int version) throws SQLException {
        try (Statement st = tx.createStatement()) {
            for (String t : p.tables()) {
                st.execute("CREATE OR REPLACE VIEW " + buildReadSchema + "." + t + " AS SELECT * FROM "
                        + schemaOf(p, version) + "." + t);
            }
        }
    }

    /**
     * Creates the next version's schema and records it as being built, under the set-up lock, as a build starting a
     * version of its own takes its number: never two builders on one schema.
     */
    private int createBuilding(Projection p) throws SQLException {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try (Statement st = tx.createStatement()) {
                st.execute(SET_UP_LOCK);
            }
            int version = nextVersion(tx, p.name());
            createVersion(tx, p, version, false);
            keep(tx, p.name(), version, p.codeVersion(), "building");
            tx.commit();
            return version;
        }
    }

    private void forget(Projection p, int version) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            forget(c, p.name(), version);
        }
    }

    /** A version is no longer kept: it went live, or its schema is dropped. */
    private static void forget(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM shoal_projection_kept WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            ps.executeUpdate();
        }
    }

    /** Records a version that is not live but kept: being built by a build of its code, or replaced (until gc). */
    private static void keep(Connection c, String name, int version, int codeVersion, String state)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shoal_projection_kept (name, version, code_version,"
                + " state, since) VALUES (?, ?, ?, ?, now()) ON CONFLICT (name, version) DO UPDATE SET"
                + " code_version = EXCLUDED.code_version, state = EXCLUDED.state, since = EXCLUDED.since")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            ps.setInt(3, codeVersion);
            ps.setString(4, state);
            ps.executeUpdate();
        }
    }

    /** The runner this replica applies a projection with, and the version it applies to, read together. */
    private record Applying(ProjectionRunner runner, int version) {
    }

    private synchronized Applying applying(String name) {
        return new Applying(live.get(name), liveVersion.get(name));
    }

    /** The live version and the code version that built it. */
    record Active(int version, int codeVersion) {
    }

    private static Optional<Active> active(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT active_version, code_version FROM shoal_projection WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Active(rs.getInt(1), rs.getInt(2))) : Optional.empty();
            }
        }
    }

    /** The newest kept version this code version built whose schema is still there. */
    private Optional<Integer> keptVersion(Connection c, String name, int codeVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT k.version FROM shoal_projection_kept k"
                + " WHERE k.name = ? AND k.code_version = ? AND EXISTS (SELECT 1 FROM pg_namespace n"
                + " WHERE n.nspname = 'proj_' || k.name || '_v' || k.version) ORDER BY k.version DESC LIMIT 1")) {
            ps.setString(1, name);
            ps.setInt(2, codeVersion);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    /** One past every version of the projection, live or kept, so a new one never lands on a kept schema. */
    private static int nextVersion(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT greatest((SELECT coalesce(max(active_version), 0)"
                + " FROM shoal_projection WHERE name = ?), (SELECT coalesce(max(version), 0) FROM shoal_projection_kept"
                + " WHERE name = ?)) + 1")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The versions of a projection a switch replaced and whose schemas are kept, oldest first. */
    private List<Integer> retired(String name) {
        List<Integer> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM shoal_projection_kept WHERE name = ? AND state = 'retired' ORDER BY version")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            LOG.warnf("retired versions of %s unreadable: %s", name, e.getMessage());
        }
        return out;
    }

    /**
     * Drops the schemas of replaced versions (never the live one's, never one a running runner of any replica or build
     * still applies to: each holds a shared lock on its schema), and answers which.
     */
    public synchronized List<String> gc() throws SQLException {
        List<String> dropped = new ArrayList<>();
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try (Statement st = tx.createStatement()) {
                st.execute(SET_UP_LOCK); // not while another replica sets up or numbers a version
            }
            List<String[]> rows = new ArrayList<>();
            try (Statement st = tx.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT k.name, k.version FROM shoal_projection_kept k JOIN shoal_projection p ON p.name = k.name"
                            + " WHERE k.state = 'retired' AND k.version <> p.active_version")) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), String.valueOf(rs.getInt(2))});
                }
            }
            for (String[] r : rows) {
                Projection p = projections.get(r[0]);
                if (p == null) {
                    continue; // another service's, or a projection this build no longer has
                }
                String schema = schemaOf(p, Integer.parseInt(r[1]));
                if (!ProjectionRunner.advisory(tx, "pg_try_advisory_xact_lock", ProjectionRunner.inUseKey(schema))) {
                    // a runner somewhere still applies to it: a replica not yet moved, or an old build
                    LOG.infof("gc keeps %s: a running replica still applies to it", schema);
                    continue;
                }
                try (Statement st = tx.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
                forget(tx, r[0], Integer.parseInt(r[1]));
                dropped.add(schema);
            }
            // Read schemas of builds no longer running (each running build holds its own shared): only views.
            Map<String, Boolean> others = new LinkedHashMap<>(); // name -> empty
            try (PreparedStatement ps = tx.prepareStatement("SELECT n.nspname, NOT EXISTS (SELECT 1 FROM pg_class c"
                    + " WHERE c.relnamespace = n.oid) FROM pg_namespace n WHERE (n.nspname = ? OR n.nspname LIKE ?"
                    + " ESCAPE '!') AND n.nspname <> ? ORDER BY 1")) {
                ps.setString(1, settings.readSchema());
                ps.setString(2, settings.readSchema().replace("_", "!_") + "!_c%");
                ps.setString(3, buildReadSchema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        others.put(rs.getString(1), rs.getBoolean(2));
                    }
                }
            }
            for (Map.Entry<String, Boolean> e : others.entrySet()) {
                String schema = requireIdent(e.getKey());
                // The unsuffixed one is from builds that took no lock: dropped only once its views went.
                boolean unused = schema.equals(settings.readSchema()) ? e.getValue()
                        : ProjectionRunner.advisory(tx, "pg_try_advisory_xact_lock", ProjectionRunner.inUseKey(schema));
                if (!unused) {
                    continue;
                }
                try (Statement st = tx.createStatement()) {
                    st.execute("DROP SCHEMA " + schema + " CASCADE");
                }
                dropped.add(schema);
            }
            tx.commit();
        }
        return dropped;
    }

    private void dropSchema(String schema) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static String requireIdent(String s) {
        if (s == null || !IDENT.matcher(s).matches()) {
            throw new IllegalArgumentException("not a safe SQL identifier: " + s);
        }
        return s;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (follower != null) {
            follower.interrupt();
        }
        live.values().forEach(ProjectionRunner::close);
        if (rebuildThread != null) {
            rebuildThread.interrupt();
        }
        if (readSchemaInUse != null) {
            try (Connection c = readSchemaInUse) {
                ProjectionRunner.advisory(c, "pg_advisory_unlock_shared", ProjectionRunner.inUseKey(buildReadSchema));
            } catch (SQLException e) {
                LOG.warnf("releasing %s: %s", buildReadSchema, e.getMessage());
            }
            readSchemaInUse = null;
        }
    }
}
