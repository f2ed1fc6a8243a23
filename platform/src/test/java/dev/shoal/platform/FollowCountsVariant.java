package dev.shoal.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.shoal.events.Topic;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;

/**
 * {@link OutboxRelayAndProjectionTest.FollowCounts} under another name, for tests that change one thing about how it
 * applies or what it hears: a poisoned event, a lost commit answer.
 */
abstract class FollowCountsVariant implements Projection {
    final OutboxRelayAndProjectionTest.FollowCounts counts = new OutboxRelayAndProjectionTest.FollowCounts();

    @Override
    public List<Topic> topics() {
        return counts.topics();
    }

    @Override
    public List<String> tables() {
        return counts.tables();
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        counts.createTables(tx, schema);
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        counts.apply(tx, schema, e);
    }
}
