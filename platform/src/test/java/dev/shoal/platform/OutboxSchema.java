package dev.shoal.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.shoal.platform.outbox.OutboxRelay;

/** The outbox's migrations in order, as Flyway runs them in a service, for tests that run without Flyway. */
final class OutboxSchema {
    static final List<String> MIGRATIONS = List.of("V0_1__outbox.sql", "V0_2__outbox_aggregate_version.sql",
            "V0_3__event_stream.sql", "V0_4__outbox_notify.sql", "V0_5__own_restore.sql");

    private OutboxSchema() {
    }

    static void create(Connection c) throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            for (String file : MIGRATIONS) {
                try (InputStream ddl = OutboxRelay.class.getResourceAsStream("/db/outbox/" + file)) {
                    st.execute(new String(ddl.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }
}
