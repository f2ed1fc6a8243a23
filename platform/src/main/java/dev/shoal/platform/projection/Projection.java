package dev.shoal.platform.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A read model built from the log. It is disposable: {@link ProjectionManager} creates its tables in a versioned
 * schema, feeds it every event from offset 0, and can build a new version beside the live one and switch to it.
 * Implementations are plain functions from event to row changes, and must give the same rows for the same events
 * (values that depend on the clock are computed at read time, never stored).
 */
public interface Projection {
    /** Short lowercase name, part of schema names: {@code proj_<name>_v<N>}. */
    String name();

    /** The topics it reads. */
    List<String> topics();

    /** Its tables, exposed to readers as views of the same names in the service's read schema. */
    List<String> tables();

    /** Creates its tables (and indexes) in {@code schema}. */
    void createTables(Connection tx, String schema) throws SQLException;

    /** Applies one event inside the batch's transaction; events this projection does not use are ignored. */
    void apply(Connection tx, String schema, ProjectedEvent event) throws SQLException;
}
