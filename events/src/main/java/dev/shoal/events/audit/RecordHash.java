package dev.shoal.events.audit;

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
 * the key). The leaf is RFC 9162's: SHA-256 of 0x00 and that encoding, written into one buffer kept per thread and
 * hashed in one call (a call per field cost more than the hashing of a small record).
 */
public final class RecordHash {
    private static final byte[] TAG = "shoal.audit.record.v1".getBytes(StandardCharsets.UTF_8);

    /** The chain's value before a partition's first record. */
    public static final byte[] GENESIS = new byte[MerkleTree.HASH_SIZE];

    private RecordHash() {
    }

    /** The leaf hash of a record as consumed with byte-array key and value. */
    public static byte[] leaf(ConsumerRecord<byte[], byte[]> r) {
        Encoding e = ENCODING.get().reset();
        e.put((byte) 0); // RFC 9162's leaf prefix
        e.put(TAG);
        e.text(r.topic());
        e.putInt(r.partition());
        e.putLong(r.offset());
        e.putLong(r.timestamp());
        e.blob(r.key());
        Header[] headers = r.headers().toArray();
        e.putInt(headers.length);
        for (Header h : headers) {
            e.text(h.key());
            e.blob(h.value());
        }
        e.blob(r.value());
        MessageDigest sha = MerkleTree.sha256();
        sha.update(e.bytes, 0, e.length);
        return sha.digest();
    }

    private static final ThreadLocal<Encoding> ENCODING = ThreadLocal.withInitial(Encoding::new);

    /** A record's encoding, big-endian, in a buffer that grows to the largest record its thread has seen. */
    private static final class Encoding {
        private byte[] bytes = new byte[4096];
        private int length;

        Encoding reset() {
            length = 0;
            return this;
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }

        void put(byte b) {
            room(1);
            bytes[length++] = b;
        }

        void put(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        void putInt(int v) {
            room(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (v >>> shift);
            }
        }

        void putLong(long v) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (v >>> shift);
            }
        }

        void blob(byte[] b) {
            putInt(b == null ? -1 : b.length);
            if (b != null) {
                put(b);
            }
        }

        /** UTF-8, length first; names are ASCII nearly always, written as they are without an array of their own. */
        void text(String s) {
            int n = s.length();
            for (int i = 0; i < n; i++) {
                if (s.charAt(i) >= 0x80) {
                    blob(s.getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            putInt(n);
            room(n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
        }
    }

    /** The chain after a record: SHA-256 of the chain before it and its leaf hash. */
    public static byte[] chain(byte[] previous, byte[] leaf) {
        MessageDigest sha = MerkleTree.sha256();
        sha.update(previous);
        sha.update(leaf);
        return sha.digest();
    }
}
