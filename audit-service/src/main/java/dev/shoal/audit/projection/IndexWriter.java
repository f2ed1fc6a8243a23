package dev.shoal.audit.projection;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import dev.shoal.audit.domain.PartitionLog;
import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.audit.MerkleTree;

/**
 * Writes the audit index into one schema's tables: each record's leaf, chain and who-did-what columns, the tree nodes
 * its append completed, and the partitions' heads, a batch per transaction. The live index writes {@code public};
 * a replay writes a schema of its own beside it with the same code, so the two can be compared row for row.
 */
final class IndexWriter {
    private final String schema;
    private final Map<TopicPartition, PartitionLog> logs = new HashMap<>();

    IndexWriter(String schema) {
        this.schema = schema;
    }

    /** Each partition as its tables hold it. */
    Map<TopicPartition, PartitionLog> logs() {
        return logs;
    }

    /** Each partition as stored: its size and chain, and its tree's right edge from the stored nodes. */
    void load(Connection c, List<TopicPartition> partitions) throws SQLException {
        logs.clear();
        for (TopicPartition tp : partitions) {
            PartitionLog log = PartitionLog.empty(tp.topic(), tp.partition());
            try (PreparedStatement ps = c.prepareStatement("SELECT next_offset, chain FROM " + schema
                    + ".audit_partition WHERE topic = ? AND partition = ?")) {
                ps.setString(1, tp.topic());
                ps.setInt(2, tp.partition());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long size = rs.getLong(1);
                        List<byte[]> edge = new ArrayList<>();
                        for (long[] node : PartitionLog.edgeNodes(size)) {
                            edge.add(node(c, tp, (int) node[0], node[1]));
                        }
                        log = new PartitionLog(tp.topic(), tp.partition(), size, rs.getBytes(2), edge);
                    }
                }
            }
            logs.put(tp, log);
        }
    }

    private byte[] node(Connection c, TopicPartition tp, int level, long idx) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM " + schema + ".audit_node WHERE topic = ?"
                + " AND partition = ? AND level = ? AND idx = ?")) {
            ps.setString(1, tp.topic());
            ps.setInt(2, tp.partition());
            ps.setShort(3, (short) level);
            ps.setLong(4, idx);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the tree of " + tp + " in " + schema + " has no node " + level
                            + "/" + idx);
                }
                return rs.getBytes(1);
            }
        }
    }

    /**
     * One transaction for the batch: its records, their nodes and the partitions' new heads. The logs in memory move
     * on only once it committed; a failure leaves them as the tables hold them.
     */
    void apply(Connection c, Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records) throws SQLException {
        c.setAutoCommit(false);
        try {
            // The index is the log's, read again: a batch lost to a database crash is read again from the offsets
            // committed with it, and nothing is signed over sizes the index has not reached. So its commits need not
            // wait for the disk (checkpoints, on their own connection, still do).
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SET LOCAL synchronous_commit = off");
            }
            write(c, records);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private void write(Connection c, Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records)
            throws SQLException {
        Map<TopicPartition, PartitionLog> touched = new HashMap<>();
        try (PreparedStatement rec = c.prepareStatement("INSERT INTO " + schema + ".audit_record (topic, partition,"
                + " record_offset, leaf, chain, event_id, type, subject, actor, correlation_id, event_time)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement node = c.prepareStatement("INSERT INTO " + schema + ".audit_node (topic, partition,"
                     + " level, idx, hash) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> e : records.entrySet()) {
                TopicPartition tp = e.getKey();
                PartitionLog log = logs.get(tp).copy(); // memory moves on once the batch committed
                for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
                    PartitionLog.Appended a = log.append(r);
                    rec.setString(1, tp.topic());
                    rec.setInt(2, tp.partition());
                    rec.setLong(3, r.offset());
                    rec.setBytes(4, a.leaf());
                    rec.setBytes(5, a.chain());
                    rec.setObject(6, uuid(header(r, CloudEventHeaders.ID)));
                    rec.setString(7, header(r, CloudEventHeaders.TYPE));
                    rec.setString(8, header(r, CloudEventHeaders.SUBJECT));
                    rec.setString(9, header(r, CloudEventHeaders.ACTOR));
                    rec.setString(10, header(r, CloudEventHeaders.CORRELATION_ID));
                    rec.setTimestamp(11, time(header(r, CloudEventHeaders.TIME)));
                    rec.addBatch();
                    for (MerkleTree.Node n : a.nodes()) {
                        node.setString(1, tp.topic());
                        node.setInt(2, tp.partition());
                        node.setShort(3, (short) n.level());
                        node.setLong(4, n.index());
                        node.setBytes(5, n.hash());
                        node.addBatch();
                    }
                }
                touched.put(tp, log);
            }
            rec.executeBatch();
            node.executeBatch();
        }
        try (PreparedStatement head = c.prepareStatement("INSERT INTO " + schema + ".audit_partition (topic,"
                + " partition, next_offset, chain) VALUES (?, ?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE"
                + " SET next_offset = excluded.next_offset, chain = excluded.chain")) {
            for (PartitionLog log : touched.values()) {
                head.setString(1, log.topic());
                head.setInt(2, log.partition());
                head.setLong(3, log.size());
                head.setBytes(4, log.chain());
                head.addBatch();
            }
            head.executeBatch();
        }
        c.commit();
        logs.putAll(touched);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static Timestamp time(String s) {
        try {
            return s == null ? null : Timestamp.from(Instant.parse(s));
        } catch (java.time.format.DateTimeParseException notATime) {
            return null;
        }
    }
}
