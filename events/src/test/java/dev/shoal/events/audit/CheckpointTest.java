package dev.shoal.events.audit;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @Test
    void aSignedCheckpointVerifiesWithItsKeyAndNothingElse() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Checkpoint c = Checkpoint.of(7, Instant.parse("2026-12-07T12:00:00Z"), "ab", List.of(
                new Checkpoint.Head("shoal.posts", 1, 10, "11", "22"),
                new Checkpoint.Head("shoal.identity", 0, 3, "33", "44"))).signed(key.getPrivate(),
                Checkpoint.keyId(key.getPublic()));
        assertTrue(c.verifies(key.getPublic()));
        assertTrue(c.verifies(Checkpoint.publicKey(Checkpoint.pem(key.getPublic()))), "the published PEM works");
        assertFalse(c.verifies(other.getPublic()));
        assertEquals("shoal.identity", c.heads().get(0).topic(), "heads are in one order, whatever order given");
        Checkpoint moved = new Checkpoint(c.sequence(), c.time(), c.previous(), List.of(
                new Checkpoint.Head("shoal.posts", 1, 11, "11", "22"), c.heads().get(0)), c.keyId(), c.signature());
        assertFalse(moved.verifies(key.getPublic()), "a changed size breaks the signature");
        assertNotEquals(c.digest(), moved.digest());
    }

    @Test
    void everyPartOfARecordIsInItsLeaf() {
        byte[] base = RecordHash.leaf(record("shoal.posts", 0, 5, 100, "k", "h", "v"));
        assertArrayEquals(base, RecordHash.leaf(record("shoal.posts", 0, 5, 100, "k", "h", "v")));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.votes", 0, 5, 100, "k", "h", "v"))));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.posts", 1, 5, 100, "k", "h", "v"))));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.posts", 0, 6, 100, "k", "h", "v"))));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.posts", 0, 5, 101, "k", "h", "v"))));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.posts", 0, 5, 100, "K", "h", "v"))));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.posts", 0, 5, 100, "k", "H", "v"))));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.posts", 0, 5, 100, "k", "h", "V"))));
        assertFalse(java.util.Arrays.equals(base, RecordHash.leaf(record("shoal.posts", 0, 5, 100, null, "h", "v"))),
                "no key is not an empty key");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long time,
                                                         String key, String header, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", header.getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(topic, partition, offset, time, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                headers, java.util.Optional.empty());
    }
}
