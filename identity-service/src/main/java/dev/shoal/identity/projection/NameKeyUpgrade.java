package dev.shoal.identity.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.shoal.identity.domain.AgentName;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.sql.Transactions;
import io.quarkus.runtime.StartupEvent;

/**
 * Remakes, at every start and before anything is served, the stored name keys that are not of the rule the code
 * compares with ({@link NameKey#RULE}, recorded in {@code name_key_rule}): the keys of {@code agent} are what registrations are checked against and follows are found by, so they
 * must all be of the rule the code compares with. One transaction (every key is first set to a placeholder unique to
 * its row, so no two rows meet halfway); a new rule never merges two names the old kept apart
 * ({@code NameKeyTest}), so the unique index holds.
 */
@ApplicationScoped
public class NameKeyUpgrade {
    private static final Logger LOG = Logger.getLogger(NameKeyUpgrade.class);

    private final DataSource dataSource;

    public NameKeyUpgrade(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onStart(@Observes @Priority(1) StartupEvent start) {
        remakeKeys();
    }

    /** Remakes the keys if the stored rule is older than the code's; answers how many changed. */
    public int remakeKeys() {
        int remade = Transactions.inTransaction(dataSource, this::upgrade);
        if (remade > 0) {
            LOG.infof("name keys remade under rule %d for %,d agents", NameKey.RULE, remade);
        }
        return remade;
    }

    private int upgrade(Connection tx) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT rule FROM name_key_rule FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
        // Every start looks, not only the first under a new rule: a replica of the old build (a deploy's overlap)
        // may have written keys of the old rule since. The lock above makes replicas take turns.
        List<UUID> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("SELECT id, name, name_key FROM agent");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = AgentName.key(rs.getString(2));
                if (!key.equals(rs.getString(3))) {
                    ids.add(rs.getObject(1, UUID.class));
                    keys.add(key);
                }
            }
        }
        if (!ids.isEmpty()) {
            UUID[] idArray = ids.toArray(UUID[]::new);
            try (PreparedStatement ps = tx.prepareStatement(
                    "UPDATE agent SET name_key = '\u0001' || id::text WHERE id = ANY (?)")) {
                ps.setArray(1, tx.createArrayOf("uuid", idArray));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = tx.prepareStatement("UPDATE agent a SET name_key = k.key"
                    + " FROM unnest(?::uuid[], ?::text[]) AS k(id, key) WHERE a.id = k.id")) {
                ps.setArray(1, tx.createArrayOf("uuid", idArray));
                ps.setArray(2, tx.createArrayOf("text", keys.toArray(String[]::new)));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = tx.prepareStatement("UPDATE name_key_rule SET rule = ?")) {
            ps.setInt(1, NameKey.RULE);
            ps.executeUpdate();
        }
        return ids.size();
    }
}
