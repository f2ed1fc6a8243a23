package dev.shoal.audit.domain;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.shoal.events.audit.MerkleTree;
import dev.shoal.events.audit.RecordHash;

/**
 * One topic-partition as the audit has read it: how many records (the log has no gaps, so that is the next offset),
 * the head of its hash chain and the right edge of its Merkle tree. Records must come in offset order from 0; one
 * that does not is told, never skipped.
 */
public final class PartitionLog {
    private final String topic;
    private final int partition;
    private final MerkleTree.Builder tree;
    private byte[] chain;

    public PartitionLog(String topic, int partition, long size, byte[] chain, List<byte[]> edgeLargestFirst) {
        this.topic = topic;
        this.partition = partition;
        this.tree = MerkleTree.Builder.resume(size, edgeLargestFirst);
        this.chain = chain;
    }

    /** A partition nothing was read of yet. */
    public static PartitionLog empty(String topic, int partition) {
        return new PartitionLog(topic, partition, 0, RecordHash.GENESIS, List.of());
    }

    /** What appending one record commits to: its leaf, the chain after it, the subtrees it completed. */
    public record Appended(long offset, byte[] leaf, byte[] chain, List<MerkleTree.Node> nodes) {
    }

    /** Thrown when the log is not what an append-only log from offset 0 would be at this point. */
    public static final class NotAppendOnly extends RuntimeException {
        public NotAppendOnly(String message) {
            super(message);
        }
    }

    /** The same partition as it is now, to append to without changing this one. */
    public PartitionLog copy() {
        return new PartitionLog(topic, partition, tree.size(), chain, tree.edge());
    }

    public Appended append(ConsumerRecord<byte[], byte[]> r) {
        if (r.offset() != tree.size()) {
            throw new NotAppendOnly(topic + "-" + partition + ": expected offset " + tree.size() + ", read "
                    + r.offset() + (r.offset() > tree.size() ? " (records are missing)" : ""));
        }
        byte[] leaf = RecordHash.leaf(r);
        chain = RecordHash.chain(chain, leaf);
        return new Appended(r.offset(), leaf, chain, tree.append(leaf));
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long size() {
        return tree.size();
    }

    public byte[] chain() {
        return chain;
    }

    public byte[] root() {
        return tree.root();
    }

    /** The nodes of the tree's right edge: where a restart picks it up, as (level, index) largest first. */
    public static long[][] edgeNodes(long size) {
        int count = Long.bitCount(size);
        long[][] nodes = new long[count][];
        int i = 0;
        long start = 0;
        for (int level = 63; level >= 0; level--) {
            if ((size >>> level & 1) == 1) {
                nodes[i++] = new long[] {level, start >>> level};
                start += 1L << level;
            }
        }
        return nodes;
    }
}
