package dev.shoal.audit.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import dev.shoal.events.audit.MerkleTree;

/** The stored Merkle trees, read back: any root or proof of a partition is made of its stored perfect subtrees. */
public final class AuditTrees {
    private AuditTrees() {
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

    /**
     * A partition's stored nodes for roots and proofs, fetched in one query: {@code reads} runs first against a
     * recorder (a root or a proof only combines the nodes it reads, so any hash stands in for them), then the nodes it
     * asked for are read at once and served from memory; a proof costs one round trip, not one per level.
     */
    public static MerkleTree.Nodes prefetched(Connection c, String topic, int partition,
                                              Consumer<MerkleTree.Nodes> reads) throws SQLException {
        Set<Node> wanted = new LinkedHashSet<>();
        byte[] standIn = new byte[MerkleTree.HASH_SIZE];
        reads.accept((level, idx) -> {
            wanted.add(new Node(level, idx));
            return standIn;
        });
        Map<Node, byte[]> found = new HashMap<>();
        if (!wanted.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT n.level, n.idx, n.hash FROM audit_node n"
                    + " JOIN unnest(?::int4[], ?::int8[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx"
                    + " WHERE n.topic = ? AND n.partition = ?")) {
                ps.setArray(1, c.createArrayOf("int4", wanted.stream().map(Node::level).toArray()));
                ps.setArray(2, c.createArrayOf("int8", wanted.stream().map(Node::idx).toArray()));
                ps.setString(3, topic);
                ps.setInt(4, partition);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(new Node(rs.getShort(1), rs.getLong(2)), rs.getBytes(3));
                    }
                }
            }
        }
        return (level, idx) -> {
            byte[] hash = found.get(new Node(level, idx));
            if (hash == null) {
                throw new IllegalStateException("the tree of " + topic + "-" + partition + " has no node " + level
                        + "/" + idx);
            }
            return hash;
        };
    }

    private record Node(int level, long idx) {
    }
}
