package dev.shoal.audit.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.shoal.events.audit.MerkleTree;

/** The stored Merkle trees, read back: any root or proof of a partition is made of its stored perfect subtrees. */
public final class AuditTrees {
    private AuditTrees() {
    }

    /** Node {@code (level, idx)} of a partition's tree; it must exist (the tree reached it). */
    public static byte[] node(Connection c, String topic, int partition, int level, long idx) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit_node WHERE topic = ? AND partition = ?"
                + " AND level = ? AND idx = ?")) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            ps.setShort(3, (short) level);
            ps.setLong(4, idx);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the tree of " + topic + "-" + partition + " has no node " + level
                            + "/" + idx);
                }
                return rs.getBytes(1);
            }
        }
    }

    /** The hash chain's head after the record at {@code offset}, in hex. */
    public static String chainAt(Connection c, String topic, int partition, long offset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT chain FROM audit_record WHERE topic = ?"
                + " AND partition = ? AND record_offset = ?")) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            ps.setLong(3, offset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.HexFormat.of().formatHex(rs.getBytes(1)) : null;
            }
        }
    }

    /** A partition's stored nodes, for {@link MerkleTree}'s roots and proofs. */
    public static MerkleTree.Nodes of(Connection c, String topic, int partition) {
        return (level, idx) -> {
            try {
                return node(c, topic, partition, level, idx);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
