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
 * table names in the service's read schema. A rebuild creates version N+1 and feeds it from offset 0 while N keeps
 * serving; once N+1 has nearly caught up, both stop at the same offsets (each holds between two of its own batches,
 * then both go to the furthest either reached), a snapshot of the database is taken there, and both go on applying
 * while the snapshot is compared row by row. When equal, both stop at one point again, the views are switched to N+1
 * in one transaction and N is dropped. When they differ, N stays live, N+1 is dropped, and the differences are
 * reported.
 */
public final class ProjectionManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProjectionManager.class);
    private static final Pattern IDENT = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    /**
     * @param caughtUpLag  a rebuild stops catching up and starts aligning below this many records left
     * @param dedupeWindow how many offsets behind its position each partition's seen event ids are kept
     */
    public record Settings(String readSchema, Duration pollTimeout, long caughtUpLag, Duration alignTimeout,
                           long dedupeWindow) {
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
    private final Map<String, ProjectionRunner> live = new HashMap<>();
    private final Map<String, Integer> liveVersion = new HashMap<>();
    private final Map<String, RebuildStatus> rebuilds = new HashMap<>();
    private Thread rebuildThread;

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
    }

    /** Creates version 1 of each projection on first start, then starts every live runner. */
    public synchronized void start() throws SQLException {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try (Statement st = tx.createStatement()) {
                // One replica at a time sets projections up.
                st.execute("SELECT pg_advisory_xact_lock(7428311)");
                st.execute("CREATE TABLE IF NOT EXISTS shoal_projection (name TEXT PRIMARY KEY,"
                        + " active_version INT NOT NULL, switched_at TIMESTAMPTZ NOT NULL)");
                st.execute("CREATE SCHEMA IF NOT EXISTS " + settings.readSchema());
            }
            for (Projection p : projections.values()) {
                Optional<Integer> active = activeVersion(tx, p.name());
                int version = active.orElse(1);
                if (active.isPresent()) {
                    ProjectionRunner.upgradeBookkeeping(tx, schemaOf(p, version));
                } else {
                    createVersion(tx, p, version, true);
                    pointViews(tx, p, version);
                    try (PreparedStatement ps = tx.prepareStatement(
                            "INSERT INTO shoal_projection (name, active_version, switched_at) VALUES (?, ?, now())")) {
                        ps.setString(1, p.name());
                        ps.setInt(2, version);
                        ps.executeUpdate();
                    }
                }
                liveVersion.put(p.name(), version);
            }
            tx.commit();
        }
        for (Projection p : projections.values()) {
            ProjectionRunner runner = runner(p, liveVersion.get(p.name()));
            live.put(p.name(), runner);
            runner.start();
        }
    }

    public synchronized List<ProjectionStatus> status() {
        List<ProjectionStatus> out = new ArrayList<>();
        for (Projection p : projections.values()) {
            ProjectionRunner r = live.get(p.name());
            out.add(new ProjectionStatus(p.name(), liveVersion.getOrDefault(p.name(), 0),
                    r == null ? null : r.schema(), r == null ? -1 : r.lag(), r == null ? -1 : r.lagMillis(),
                    r == null ? 0 : r.eventsApplied(),
                    r == null ? null : r.lastError(), rebuilds.get(p.name())));
        }
        return out;
    }

    public List<String> names() {
        return List.copyOf(projections.keySet());
    }

    /** Whether every live runner has read its stored offsets and has a partition assignment. */
    public synchronized boolean started() {
        return live.size() == projections.size()
                && live.values().stream().allMatch(r -> r.running() && r.lag() >= 0);
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
        ProjectionRunner old;
        int from;
        synchronized (this) {
            old = live.get(name);
            from = liveVersion.get(name);
        }
        int to = from + 1;
        // Rebuilds of one request run one after another: each one's clock starts when it does.
        Instant started = Instant.now();
        ProjectionRunner fresh = null;
        try {
            try (Connection tx = dataSource.getConnection()) {
                tx.setAutoCommit(false);
                try (Statement st = tx.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schemaOf(p, to) + " CASCADE");
                }
                createVersion(tx, p, to, false);
                tx.commit();
            }
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
            long[] compared;
            try (Connection snapshot = dataSource.getConnection()) {
                alignAt(old, fresh);
                // Both are at the same offsets: a repeatable-read snapshot taken now keeps them there for the
                // comparison, so both versions go on applying while it runs.
                snapshot.setAutoCommit(false);
                snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                snapshot.setReadOnly(true);
                try (Statement st = snapshot.createStatement()) {
                    st.execute("SELECT 1");
                }
                old.bound(null);
                fresh.bound(null);
                report(name, from, to, Phase.COMPARING, fresh, started, -1, -1, "comparing row by row");
                compared = compare(snapshot, p, schemaOf(p, from), schemaOf(p, to));
                snapshot.rollback();
            }
            if (compared[1] != 0) {
                fresh.close();
                dropSchema(schemaOf(p, to));
                report(name, from, to, Phase.FAILED, fresh, started, compared[0], compared[1],
                        "rebuilt differs from live in " + compared[1] + " rows; live version kept");
                return;
            }
            // Switch at one stop point too: the readers move to exactly what they saw, never back in time.
            alignAt(old, fresh);
            synchronized (this) {
                try (Connection tx = dataSource.getConnection()) {
                    tx.setAutoCommit(false);
                    pointViews(tx, p, to);
                    try (PreparedStatement ps = tx.prepareStatement(
                            "UPDATE shoal_projection SET active_version = ?, switched_at = now() WHERE name = ?")) {
                        ps.setInt(1, to);
                        ps.setString(2, name);
                        ps.executeUpdate();
                    }
                    tx.commit();
                }
                fresh.bound(null);
                live.put(name, fresh);
                liveVersion.put(name, to);
            }
            old.close();
            dropSchema(schemaOf(p, from));
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
                } catch (SQLException ignored) {
                    // the next rebuild drops it first
                }
            }
            report(name, from, to, Phase.FAILED, fresh, started, -1, -1, "failed: " + e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops live and rebuilt at the same offsets: each holds where it is (between two of its batches), then both are
     * bounded at the furthest either reached, so neither goes back, and the nearer catches up to it.
     */
    private void alignAt(ProjectionRunner old, ProjectionRunner fresh) throws Exception {
        long deadline = System.nanoTime() + settings.alignTimeout().toNanos();
        Future<Map<TopicPartition, Long>> oldHeld = old.holdWhereItIs();
        Future<Map<TopicPartition, Long>> freshHeld = fresh.holdWhereItIs();
        Map<TopicPartition, Long> target = new HashMap<>(held(oldHeld, old, deadline));
        held(freshHeld, fresh, deadline).forEach((tp, o) -> target.merge(tp, o, Math::max));
        old.bound(target);
        fresh.bound(target);
        while (!(old.atBound() && fresh.atBound())) {
            if (!old.running() || !fresh.running() || System.nanoTime() > deadline) {
                throw new IllegalStateException("live and rebuilt did not reach the same offsets in time");
            }
            Thread.sleep(5);
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
     * Answers {rows in live, rows that differ}, comparing every table of the projection and its offsets. The seen ids
     * are left out: they are a bounded window whose pruning runs on each runner's own clock.
     */
    private static long[] compare(Connection snapshot, Projection p, String live, String rebuilt) throws SQLException {
        List<String> tables = new ArrayList<>(p.tables());
        tables.add(ProjectionRunner.OFFSETS_TABLE);
        long rows = 0;
        long differences = 0;
        try (Statement st = snapshot.createStatement()) {
            for (String t : tables) {
                String a = live + "." + t;
                String b = rebuilt + "." + t;
                try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM " + a + "),"
                        + " (SELECT count(*) FROM (SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b + ") x)"
                        + " + (SELECT count(*) FROM (SELECT * FROM " + b + " EXCEPT ALL SELECT * FROM " + a + ") y)")) {
                    rs.next();
                    rows += rs.getLong(1);
                    differences += rs.getLong(2);
                    if (rs.getLong(2) > 0) {
                        logDifferences(st, a, b);
                    }
                }
            }
        }
        return new long[] {rows, differences};
    }

    /** Logs a few rows found on one side only, so an operator sees what a failed rebuild disagreed on. */
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

    private void pointViews(Connection tx, Projection p, int version) throws SQLException {
        try (Statement st = tx.createStatement()) {
            for (String t : p.tables()) {
                st.execute("DROP VIEW IF EXISTS " + settings.readSchema() + "." + t);
                st.execute("CREATE VIEW " + settings.readSchema() + "." + t + " AS SELECT * FROM "
                        + schemaOf(p, version) + "." + t);
            }
        }
    }

    private void dropSchema(String schema) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static Optional<Integer> activeVersion(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT active_version FROM shoal_projection WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
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
        live.values().forEach(ProjectionRunner::close);
        if (rebuildThread != null) {
            rebuildThread.interrupt();
        }
    }
}
