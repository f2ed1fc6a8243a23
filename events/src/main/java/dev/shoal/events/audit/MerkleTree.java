package dev.shoal.events.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Merkle tree of Certificate Transparency (RFC 9162, section 2.1) over one partition's records, in offset order:
 * its root hash, inclusion proofs (a record is in the tree) and consistency proofs (a later tree extends an earlier
 * one), and their verification, which needs nothing but the hashes.
 *
 * <p>An append-only tree is stored as its perfect subtrees: node {@code (level, index)} is the hash of leaves
 * {@code [index * 2^level, (index + 1) * 2^level)}. Every root and proof of any size is made of those ({@link Nodes}).
 */
public final class MerkleTree {
    public static final int HASH_SIZE = 32;

    private MerkleTree() {
    }

    /** The hash of the perfect subtree {@code (level, index)}, as stored. */
    @FunctionalInterface
    public interface Nodes {
        byte[] hash(int level, long index);
    }

    /** The hash of a leaf's data: SHA-256 of 0x00 and the data. */
    public static byte[] leafHash(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        sha.update(data);
        return sha.digest();
    }

    /** The hash of an inner node: SHA-256 of 0x01, the left and the right hash. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** The root of an empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** The root hash of the first {@code size} leaves. */
    public static byte[] root(long size, Nodes nodes) {
        return size == 0 ? emptyRoot() : hashOf(0, size, nodes);
    }

    /** MTH(D[start:start+n]) for a range whose start is aligned to the largest power of two below {@code n}. */
    private static byte[] hashOf(long start, long n, Nodes nodes) {
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            return nodes.hash(level, start >>> level);
        }
        long k = Long.highestOneBit(n - 1);
        return nodeHash(hashOf(start, k, nodes), hashOf(start + k, n - k, nodes));
    }

    /** The audit path of leaf {@code index} in the tree of {@code size} leaves (RFC 9162, 2.1.3.1), leaf side first. */
    public static List<byte[]> inclusionProof(long index, long size, Nodes nodes) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, size, nodes, path);
        return path;
    }

    private static void path(long m, long start, long n, Nodes nodes, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, start, k, nodes, out);
            out.add(hashOf(start + k, n - k, nodes));
        } else {
            path(m - k, start + k, n - k, nodes, out);
            out.add(hashOf(start, k, nodes));
        }
    }

    /** The proof that the tree of {@code size} leaves extends the one of {@code from} leaves (RFC 9162, 2.1.4.1). */
    public static List<byte[]> consistencyProof(long from, long size, Nodes nodes) {
        if (from < 0 || from > size) {
            throw new IllegalArgumentException("a tree of " + size + " cannot extend one of " + from);
        }
        List<byte[]> proof = new ArrayList<>();
        if (from > 0 && from < size) {
            subproof(from, 0, size, true, nodes, proof);
        }
        return proof;
    }

    private static void subproof(long m, long start, long n, boolean whole, Nodes nodes, List<byte[]> out) {
        if (m == n) {
            if (!whole) {
                out.add(hashOf(start, n, nodes));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, k, whole, nodes, out);
            out.add(hashOf(start + k, n - k, nodes));
        } else {
            subproof(m - k, start + k, n - k, false, nodes, out);
            out.add(hashOf(start, k, nodes));
        }
    }

    /** Whether {@code path} proves the leaf hashed {@code leaf} is leaf {@code index} of the tree with {@code root}. */
    public static boolean verifyInclusion(long index, long size, byte[] leaf, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leaf;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Whether {@code proof} shows the tree of {@code size} leaves with {@code root} extends the tree of {@code from}
     * leaves with {@code fromRoot} (RFC 9162, 2.1.4.2): the earlier log is a prefix of the later one, unchanged.
     */
    public static boolean verifyConsistency(long from, long size, byte[] fromRoot, byte[] root, List<byte[]> proof) {
        if (from < 0 || from > size) {
            return false;
        }
        if (from == size) {
            return proof.isEmpty() && MessageDigest.isEqual(fromRoot, root);
        }
        if (from == 0) {
            return proof.isEmpty();
        }
        List<byte[]> p = new ArrayList<>(proof);
        if (Long.bitCount(from) == 1) {
            p.add(0, fromRoot); // an earlier tree that is a perfect subtree is its own first node
        }
        if (p.isEmpty()) {
            return false;
        }
        long fn = from - 1;
        long sn = size - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = p.get(0);
        byte[] sr = p.get(0);
        for (byte[] c : p.subList(1, p.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, fromRoot) && MessageDigest.isEqual(sr, root);
    }

    /**
     * A tree grown one leaf at a time, holding only its perfect subtrees' roots along the right edge (at most 64):
     * what a verifier streaming a partition keeps, and what tells a writer which nodes each leaf completes.
     */
    public static final class Builder {
        private final byte[][] edge = new byte[64][];
        private long size;

        /** A tree of {@code size} leaves, continued from the roots of its right edge (largest first). */
        public static Builder resume(long size, List<byte[]> edgeLargestFirst) {
            Builder b = new Builder();
            b.size = size;
            int i = 0;
            for (int level = 63; level >= 0; level--) {
                if ((size >>> level & 1) == 1) {
                    b.edge[level] = edgeLargestFirst.get(i++);
                }
            }
            return b;
        }

        public long size() {
            return size;
        }

        /**
         * Adds a leaf; answers every perfect subtree it completes, smallest first ({@code level} 0 is the leaf).
         */
        public List<Node> append(byte[] leaf) {
            List<Node> completed = new ArrayList<>(2);
            push(leaf, completed);
            return completed;
        }

        /** Adds a leaf without listing what it completed: for a reader that only needs the roots. */
        public void add(byte[] leaf) {
            push(leaf, null);
        }

        private void push(byte[] leaf, List<Node> completed) {
            byte[] h = leaf;
            long index = size;
            int level = 0;
            if (completed != null) {
                completed.add(new Node(0, index, h));
            }
            while ((size >>> level & 1) == 1) {
                h = nodeHash(edge[level], h);
                edge[level] = null;
                level++;
                index >>>= 1;
                if (completed != null) {
                    completed.add(new Node(level, index, h));
                }
            }
            edge[level] = h;
            size++;
        }

        /** The root of the tree as it is. */
        public byte[] root() {
            byte[] r = null;
            for (int level = 0; level < 64; level++) {
                if (edge[level] != null) {
                    r = r == null ? edge[level] : nodeHash(edge[level], r);
                }
            }
            return r == null ? emptyRoot() : r;
        }

        /** The roots of the right edge, largest first (what {@link #resume} takes). */
        public List<byte[]> edge() {
            List<byte[]> out = new ArrayList<>();
            for (int level = 63; level >= 0; level--) {
                if (edge[level] != null) {
                    out.add(edge[level]);
                }
            }
            return out;
        }
    }

    /** A perfect subtree's root: leaves {@code [index * 2^level, (index + 1) * 2^level)}. */
    public record Node(int level, long index, byte[] hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && n.level == level && n.index == index && Arrays.equals(n.hash, hash);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(index) * 31 + level;
        }
    }

    /** One digest per thread, reset for each use: looking one up costs more than hashing a small record. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    /** This thread's SHA-256, reset. */
    static MessageDigest sha256() {
        MessageDigest d = SHA256.get();
        d.reset();
        return d;
    }
}
