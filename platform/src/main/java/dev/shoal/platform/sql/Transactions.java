package dev.shoal.platform.sql;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Runs work in one JDBC transaction: committed when it returns, rolled back when it throws. For the read side
 * (feed-service's queries, the gateway's credentials); services' own tables are written only by their EventWriter.
 */
public final class Transactions {
    /** Work that needs a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection tx) throws SQLException;
    }

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

    /** A database failure, unchecked so it can leave lambdas; mapped to a 500 that reveals nothing. */
    public static final class DatabaseException extends RuntimeException {
        public DatabaseException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
