package dev.shoal.events.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What the audit commits to of a record: every byte of it as the broker stores it (topic, partition, offset,
 * timestamp, key, every header in order, value), in one unambiguous encoding, and the hash chain over a partition.
 *
 * <p>The encoding, big-endian: the text {@code shoal.audit.record.v1}; the topic (length-prefixed UTF-8); partition
 * (int32); offset (int64); timestamp (int64, milliseconds); key (int32 length, -1 for none, then the bytes); the
 * number of headers (int32), then each header's name (length-prefixed UTF-8) and value (as the key); the value (as
 * the key). The leaf is RFC 9162's: SHA-256 of 0x00 and that encoding (streamed into the digest, never copied).
 */
public final class RecordHash {
    private static final byte[] TAG = "shoal.audit.record.v1".getBytes(StandardCharsets.UTF_8);

    /** The chain's value before a partition's first record. */
    public static final byte[] GENESIS = new byte[MerkleTree.HASH_SIZE];

    private RecordHash() {
    }

    /** The leaf hash of a record as consumed with byte-array key and value: its encoding, streamed into SHA-256. */
    public static byte[] leaf(ConsumerRecord<byte[], byte[]> r) {
        MessageDigest sha = MerkleTree.sha256();
        ByteBuffer scratch = SCRATCH.get();
        sha.update((byte) 0); // RFC 9162's leaf prefix
        sha.update(TAG);
        text(sha, scratch, r.topic());
        number(sha, scratch.clear().putInt(r.partition()));
        number(sha, scratch.clear().putLong(r.offset()));
        number(sha, scratch.clear().putLong(r.timestamp()));
        blob(sha, scratch, r.key());
        Header[] headers = r.headers().toArray();
        number(sha, scratch.clear().putInt(headers.length));
        for (Header h : headers) {
            text(sha, scratch, h.key());
            blob(sha, scratch, h.value());
        }
        blob(sha, scratch, r.value());
        return sha.digest();
    }

    /** Room for one number at a time, per thread. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(8));

    private static void number(MessageDigest sha, ByteBuffer filled) {
        sha.update(filled.array(), 0, filled.position());
    }

    /** The chain after a record: SHA-256 of the chain before it and its leaf hash. */
    public static byte[] chain(byte[] previous, byte[] leaf) {
        MessageDigest sha = MerkleTree.sha256();
        sha.update(previous);
        sha.update(leaf);
        return sha.digest();
    }

    private static void text(MessageDigest sha, ByteBuffer scratch, String s) {
        blob(sha, scratch, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void blob(MessageDigest sha, ByteBuffer scratch, byte[] b) {
        number(sha, scratch.clear().putInt(b == null ? -1 : b.length));
        if (b != null) {
            sha.update(b);
        }
    }
}
