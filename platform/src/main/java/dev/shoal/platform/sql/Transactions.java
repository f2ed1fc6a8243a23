package dev.shoal.platform.sql;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Runs work in one JDBC transaction: committed when it returns, rolled back when it throws. */
public final class Transactions {
    /** Work that needs a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection tx) throws SQLException;
    }

    /** PostgreSQL's SQLSTATE for a unique constraint violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    private Transactions() {
    }

    public static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try {
                T result = work.apply(tx);
                tx.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                tx.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    /** Whether a failure was a unique constraint violation (two writers racing for the same key). */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A database failure, unchecked so it can leave lambdas; mapped to a 500 that reveals nothing. */
    public static final class DatabaseException extends RuntimeException {
        public DatabaseException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
