package dev.shoal.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.shoal.launcher.Stack;

/**
 * pgstat=true: PostgreSQL's own account of a window (pg_stat_statements, loaded into the bench's server at its
 * start), so a workload's share of PostgreSQL is named statement by statement, per answered request: how often each
 * runs and how long it executes (time in the executor, across every database; a COMMIT's includes its WAL flush).
 */
final class StatementStats {
    /** The server setting that loads the extension, for {@code shoal.postgres.options}. */
    static final String SERVER_OPTIONS = "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.max=2000";

    private StatementStats() {
    }

    static boolean enabled() {
        return Boolean.getBoolean("bench.pgstat");
    }

    /** Forgets everything counted so far: the window starts now. */
    static void reset(Stack stack) throws SQLException {
        try (Connection c = stack.postgres().superuser("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            st.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The {@code limit} statements that executed longest since {@link #reset}, per {@code unit} ({@code count}). */
    static List<String> top(Stack stack, long answered, String unit, int limit) throws SQLException {
        List<String> lines = new ArrayList<>();
        double per = Math.max(1, answered);
        try (Connection c = stack.postgres().superuser("postgres"); Statement st = c.createStatement()) {
            try (ResultSet all = st.executeQuery("SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0)"
                    + " FROM pg_stat_statements")) {
                all.next();
                lines.add(String.format("PostgreSQL statements: %.1f calls, %.3f ms executing per %s",
                        all.getLong(1) / per, all.getDouble(2) / per, unit));
            }
            try (ResultSet rs = st.executeQuery("SELECT d.datname, s.calls, s.total_exec_time, s.rows, s.query"
                    + " FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
                    + " ORDER BY s.total_exec_time DESC LIMIT " + limit)) {
                while (rs.next()) {
                    String query = rs.getString(5).replaceAll("\\s+", " ");
                    lines.add(String.format("  %6.2f calls %7.3f ms %-10s %s", rs.getLong(2) / per,
                            rs.getDouble(3) / per, rs.getString(1),
                            query.length() > 140 ? query.substring(0, 140) + "…" : query));
                }
            }
        }
        return lines;
    }
}
