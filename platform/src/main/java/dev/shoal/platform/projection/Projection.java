package dev.shoal.platform.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.shoal.events.Topic;

/**
 * A read model built from the log. It is disposable: {@link ProjectionManager} creates its tables in a versioned
 * schema, feeds it every event from offset 0, and can build a new version beside the live one and switch to it.
 * Implementations are plain functions from event to row changes, and must give the same rows for the same events
 * (values that depend on the clock are computed at read time, never stored).
 */
public interface Projection {
    /** Short lowercase name, part of schema names: {@code proj_<name>_v<N>}. */
    String name();

    /**
     * The version of its code: raise it whenever the rows it makes from the same events change (a ranking formula, a
     * column). A service whose code declares a version the live one was not built by builds it from offset 0 in its
     * own schema while the live version keeps serving, is ready only once it has caught up, and then switches the
     * readers to it; the version it replaced is kept, so the previous build can switch back to it.
     */
    default int codeVersion() {
        return 1;
    }

    /** The topics it reads. */
    List<Topic> topics();

    /** Its tables, exposed to readers as views of the same names in the service's read schema. */
    List<String> tables();

    /** Creates its tables (and indexes) in {@code schema}. */
    void createTables(Connection tx, String schema) throws SQLException;

    /**
     * Creates the indexes only readers need (not those its own writes rely on, such as keys for {@code ON CONFLICT}).
     * A new version gets them once it has caught up with the log, because building an index over loaded rows is
     * far cheaper than keeping it up to date row by row through a replay; the first version gets them at once.
     */
    default void createIndexes(Connection tx, String schema) throws SQLException {
    }

    /** Applies one event inside the batch's transaction; events this projection does not use are ignored. */
    void apply(Connection tx, String schema, ProjectedEvent event) throws SQLException;

    /**
     * Applies a poll's events, in log order within each partition, inside one transaction. By default one by one; a
     * projection that sees many events per poll folds them and writes set-based instead, as long as its rows come out
     * exactly as if applied one by one (rebuild compares them with the live version, which saw other batches).
     */
    default void applyBatch(Connection tx, String schema, List<ProjectedEvent> events) throws SQLException {
        for (ProjectedEvent e : events) {
            apply(tx, schema, e);
        }
    }

    /**
     * Called after a batch's transaction committed, with its events: for projections that keep something in memory
     * in front of their tables (a cache), which must not drop an entry before the rows changed. Called by every
     * version's runner, so it must be harmless to repeat.
     */
    default void committed(List<ProjectedEvent> events) {
    }
}
