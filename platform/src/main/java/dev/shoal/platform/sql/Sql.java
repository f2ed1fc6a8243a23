package dev.shoal.platform.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One-line statements for projections and commands: bind the arguments in order, run, count the rows. */
public final class Sql {
    private Sql() {
    }

    public static int update(Connection tx, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
