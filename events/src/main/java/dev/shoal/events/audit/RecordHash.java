package dev.shoal.events.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * the key). The leaf is RFC 9162's: SHA-256 of 0x00 and that encoding.
 */
public final class RecordHash {
    private static final byte[] TAG = "shoal.audit.record.v1".getBytes(StandardCharsets.UTF_8);

    /** The chain's value before a partition's first record. */
    public static final byte[] GENESIS = new byte[MerkleTree.HASH_SIZE];

    private RecordHash() {
    }

    /** The leaf hash of a record as consumed with byte-array key and value. */
    public static byte[] leaf(ConsumerRecord<byte[], byte[]> r) {
        return MerkleTree.leafHash(encode(r));
    }

    /** The canonical encoding of a record (see the class). */
    public static byte[] encode(ConsumerRecord<byte[], byte[]> r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + (r.value() == null ? 0 : r.value().length));
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(TAG);
            text(out, r.topic());
            out.writeInt(r.partition());
            out.writeLong(r.offset());
            out.writeLong(r.timestamp());
            blob(out, r.key());
            Header[] headers = r.headers().toArray();
            out.writeInt(headers.length);
            for (Header h : headers) {
                text(out, h.key());
                blob(out, h.value());
            }
            blob(out, r.value());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chain after a record: SHA-256 of the chain before it and its leaf hash. */
    public static byte[] chain(byte[] previous, byte[] leaf) {
        MessageDigest sha = MerkleTree.sha256();
        sha.update(previous);
        sha.update(leaf);
        return sha.digest();
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        blob(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void blob(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }
}
