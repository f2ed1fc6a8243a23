package dev.shoal.events.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The leaf is exactly the documented encoding: checked against an implementation written from the words alone. */
class RecordHashTest {
    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, 3, 1234567890123L, 1700000000123L, TimestampType.CREATE_TIME, -1, -1, key,
                value, headers, Optional.empty());
    }

    /** The class comment's encoding, written out with a DataOutputStream (big-endian). */
    private static byte[] documented(ConsumerRecord<byte[], byte[]> r) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(0);
        out.write("shoal.audit.record.v1".getBytes(StandardCharsets.UTF_8));
        blob(out, r.topic().getBytes(StandardCharsets.UTF_8));
        out.writeInt(r.partition());
        out.writeLong(r.offset());
        out.writeLong(r.timestamp());
        blob(out, r.key());
        out.writeInt(r.headers().toArray().length);
        for (var h : r.headers()) {
            blob(out, h.key().getBytes(StandardCharsets.UTF_8));
            blob(out, h.value());
        }
        blob(out, r.value());
        return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
    }

    private static void blob(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    @Test
    void theLeafIsTheDocumentedEncodingOfEveryPartOfTheRecord() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "0b7d".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", null);
        headers.add("clé-ünïcode", "värde".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", new byte[0]); // a repeated name, in order
        byte[] big = new byte[70_000]; // larger than any buffer a first record needs
        new java.util.Random(7).nextBytes(big);
        for (ConsumerRecord<byte[], byte[]> r : java.util.List.of(
                record("shoal.posts", "k".getBytes(StandardCharsets.UTF_8), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                        headers),
                record("shoal.dead-letters", null, null, new RecordHeaders()),
                record("tøpic", new byte[0], big, headers),
                record("shoal.posts", "k".getBytes(StandardCharsets.UTF_8), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                        headers))) {
            assertArrayEquals(documented(r), RecordHash.leaf(r), r.topic());
        }
    }

    @Test
    void aHeaderThatMovesBetweenNameAndValueChangesTheLeaf() {
        RecordHeaders a = new RecordHeaders(new RecordHeader[] {new RecordHeader("ab", "c".getBytes())});
        RecordHeaders b = new RecordHeaders(new RecordHeader[] {new RecordHeader("a", "bc".getBytes())});
        assertFalse(java.util.Arrays.equals(RecordHash.leaf(record("t", null, null, a)),
                RecordHash.leaf(record("t", null, null, b))));
    }
}
