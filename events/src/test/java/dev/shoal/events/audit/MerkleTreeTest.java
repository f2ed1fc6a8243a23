package dev.shoal.events.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tree against RFC 9162's recursive definition, for every size and every leaf and prefix up to 70. */
class MerkleTreeTest {
    private static final int MAX = 70;

    /** MTH as RFC 9162 defines it, straight from the leaves. */
    private static byte[] mth(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return MerkleTree.emptyRoot();
        }
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return MerkleTree.nodeHash(mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(MerkleTree.leafHash(("record " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return leaves;
    }

    /** The nodes a writer stores as the builder completes them. */
    private static Map<String, byte[]> stored(List<byte[]> leaves) {
        Map<String, byte[]> nodes = new HashMap<>();
        MerkleTree.Builder b = new MerkleTree.Builder();
        for (byte[] leaf : leaves) {
            for (MerkleTree.Node n : b.append(leaf)) {
                nodes.put(n.level() + "/" + n.index(), n.hash());
            }
        }
        return nodes;
    }

    @Test
    void rootsFromTheStoredNodesAndFromTheStreamingBuilderAreTheRfcs() {
        List<byte[]> all = leaves(MAX);
        Map<String, byte[]> nodes = stored(all);
        MerkleTree.Builder b = new MerkleTree.Builder();
        MerkleTree.Builder rootsOnly = new MerkleTree.Builder();
        assertArrayEquals(MerkleTree.emptyRoot(), b.root());
        for (int n = 1; n <= MAX; n++) {
            b.append(all.get(n - 1));
            rootsOnly.add(all.get(n - 1));
            byte[] expected = mth(all.subList(0, n));
            assertArrayEquals(expected, b.root(), "builder, size " + n);
            assertArrayEquals(expected, rootsOnly.root(), "builder without the nodes, size " + n);
            assertArrayEquals(expected, MerkleTree.root(n, (l, i) -> nodes.get(l + "/" + i)), "nodes, size " + n);
            assertArrayEquals(expected, MerkleTree.Builder.resume(n, b.edge()).root(), "resumed, size " + n);
        }
    }

    @Test
    void everyLeafHasAnInclusionProofAndNoOtherLeafOrRootPasses() {
        List<byte[]> all = leaves(MAX);
        Map<String, byte[]> nodes = stored(all);
        MerkleTree.Nodes lookup = (l, i) -> nodes.get(l + "/" + i);
        for (int n = 1; n <= MAX; n++) {
            byte[] root = mth(all.subList(0, n));
            for (int m = 0; m < n; m++) {
                List<byte[]> path = MerkleTree.inclusionProof(m, n, lookup);
                assertTrue(MerkleTree.verifyInclusion(m, n, all.get(m), path, root), m + " in " + n);
                assertFalse(MerkleTree.verifyInclusion(m, n, all.get((m + 1) % MAX), path, root), "another leaf");
                if (n > 1) {
                    assertFalse(MerkleTree.verifyInclusion((m + 1) % n, n, all.get(m), path, root), "another place");
                    assertFalse(MerkleTree.verifyInclusion(m, n, all.get(m), path, mth(all.subList(0, n - 1))),
                            "another root");
                }
            }
        }
    }

    @Test
    void everyPrefixHasAConsistencyProofAndAChangedHistoryFails() {
        List<byte[]> all = leaves(MAX);
        Map<String, byte[]> nodes = stored(all);
        MerkleTree.Nodes lookup = (l, i) -> nodes.get(l + "/" + i);
        List<byte[]> forged = new ArrayList<>(all);
        forged.set(0, MerkleTree.leafHash("rewritten".getBytes(StandardCharsets.UTF_8)));
        for (int n = 1; n <= MAX; n++) {
            byte[] root = mth(all.subList(0, n));
            for (int m = 1; m <= n; m++) {
                byte[] earlier = mth(all.subList(0, m));
                List<byte[]> proof = MerkleTree.consistencyProof(m, n, lookup);
                assertTrue(MerkleTree.verifyConsistency(m, n, earlier, root, proof), m + " to " + n);
                assertFalse(MerkleTree.verifyConsistency(m, n, mth(forged.subList(0, m)), root, proof),
                        "an earlier tree with its first record rewritten, " + m + " to " + n);
                if (m < n) {
                    assertFalse(MerkleTree.verifyConsistency(m, n, earlier, mth(all.subList(0, n - 1)), proof),
                            "a later root that is not the tree's");
                }
            }
        }
    }
}
