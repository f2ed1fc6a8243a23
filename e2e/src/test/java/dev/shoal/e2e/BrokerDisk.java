package dev.shoal.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.FileLogInputStream;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/**
 * What someone holding the broker's disk can do while it is stopped: rewrite a partition's records, in batches Kafka
 * takes as valid (compressed as they were, their checksums computed anew), and drop the indexes and producer snapshots so the broker rebuilds
 * them from the rewritten segment when it starts. No checksum or index can tell; only the audit can.
 */
final class BrokerDisk {
    /** One record as stored. */
    record Stored(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
        Stored at(long newOffset) {
            return new Stored(newOffset, timestamp, key, value, headers);
        }
    }

    /** One batch as stored: its records and what the broker keeps of the producer that wrote it. */
    static final class Batch {
        final List<Stored> records;
        final long producerId;
        final short producerEpoch;
        final int baseSequence;
        final int leaderEpoch;
        final TimestampType timestampType;
        final CompressionType compression;
        boolean sequencesKept = true;

        Batch(List<Stored> records, long producerId, short producerEpoch, int baseSequence, int leaderEpoch,
              TimestampType timestampType, CompressionType compression) {
            this.compression = compression;
            this.records = records;
            this.producerId = producerId;
            this.producerEpoch = producerEpoch;
            this.baseSequence = baseSequence;
            this.leaderEpoch = leaderEpoch;
            this.timestampType = timestampType;
        }
    }

    /** A partition's records, batch by batch, to be changed and written back. */
    static final class Partition {
        final List<Batch> batches;

        Partition(List<Batch> batches) {
            this.batches = batches;
        }

        private int[] find(long offset) {
            for (int b = 0; b < batches.size(); b++) {
                List<Stored> rs = batches.get(b).records;
                for (int i = 0; i < rs.size(); i++) {
                    if (rs.get(i).offset() == offset) {
                        return new int[] {b, i};
                    }
                }
            }
            throw new IllegalArgumentException("no record at offset " + offset);
        }

        Stored get(long offset) {
            int[] at = find(offset);
            return batches.get(at[0]).records.get(at[1]);
        }

        private void set(long offset, Stored r) {
            int[] at = find(offset);
            batches.get(at[0]).records.set(at[1], r);
        }

        /** One bit of the value changed. */
        void flipValueByte(long offset) {
            Stored r = get(offset);
            byte[] value = r.value().clone();
            value[value.length / 2] ^= 0x01;
            set(offset, new Stored(offset, r.timestamp(), r.key(), value, r.headers()));
        }

        /** One bit of the first header's value changed. */
        void flipHeaderByte(long offset) {
            Stored r = get(offset);
            Header[] headers = r.headers().clone();
            byte[] v = headers[0].value().clone();
            v[0] ^= 0x01;
            headers[0] = new RecordHeader(headers[0].key(), v);
            set(offset, new Stored(offset, r.timestamp(), r.key(), r.value(), headers));
        }

        /** The records at {@code offset} and the next one trade places (their offsets stay). */
        void swapWithNext(long offset) {
            Stored a = get(offset);
            Stored b = get(offset + 1);
            set(offset, b.at(offset));
            set(offset + 1, a.at(offset + 1));
        }

        /** The record is removed and its offset left empty, as compaction would. */
        void deleteLeavingAGap(long offset) {
            int[] at = find(offset);
            batches.get(at[0]).records.remove(at[1]);
            batches.get(at[0]).sequencesKept = false;
        }

        /** The record is removed and every later one moves down an offset: no gap shows. */
        void deleteAndRenumber(long offset) {
            deleteLeavingAGap(offset);
            shiftFrom(offset + 1, -1);
        }

        /** A record that was never written is put at {@code offset}; the ones from there move up an offset. */
        void insert(long offset, byte[] value) {
            Stored model = get(offset);
            shiftFrom(offset, +1);
            int[] at = find(offset + 1);
            batches.get(at[0]).records.add(at[1], new Stored(offset, model.timestamp(), model.key(), value,
                    model.headers()));
            batches.get(at[0]).sequencesKept = false;
        }

        private void shiftFrom(long offset, int by) {
            for (Batch b : batches) {
                b.records.replaceAll(r -> r.offset() >= offset ? r.at(r.offset() + by) : r);
            }
        }
    }

    private BrokerDisk() {
    }

    private static Path segment(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(f -> f.toString().endsWith(".log")).toList();
            if (logs.size() != 1) {
                throw new IllegalStateException(dir + " holds " + logs.size() + " segments; one is expected here");
            }
            return logs.get(0);
        }
    }

    /** Reads a stopped broker's partition (one segment). */
    static Partition read(Path dir) throws IOException {
        List<Batch> batches = new ArrayList<>();
        try (FileRecords file = FileRecords.open(segment(dir).toFile())) {
            for (FileLogInputStream.FileChannelRecordBatch b : file.batches()) {
                if (b.isControlBatch() || b.isTransactional()) {
                    throw new IllegalStateException("a control or transactional batch in " + dir + ": not written here");
                }
                List<Stored> records = new ArrayList<>();
                for (Record r : b) {
                    records.add(new Stored(r.offset(), r.timestamp(), bytes(r.key()), bytes(r.value()),
                            r.headers()));
                }
                batches.add(new Batch(records, b.producerId(), b.producerEpoch(), b.baseSequence(),
                        b.partitionLeaderEpoch(), b.timestampType(), b.compressionType()));
            }
        }
        return new Partition(batches);
    }

    /** Rewrites a partition of the stopped broker as {@code change} left it. */
    static void rewrite(Path dir, Consumer<Partition> change) throws IOException {
        Partition p = read(dir);
        change.accept(p);
        Path segment = segment(dir);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Batch b : p.batches) {
            if (b.records.isEmpty()) {
                continue;
            }
            boolean keep = b.sequencesKept && b.producerId != RecordBatch.NO_PRODUCER_ID;
            MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.CURRENT_MAGIC_VALUE,
                    Compression.of(b.compression).build(), b.timestampType, b.records.get(0).offset(), RecordBatch.NO_TIMESTAMP,
                    keep ? b.producerId : RecordBatch.NO_PRODUCER_ID,
                    keep ? b.producerEpoch : RecordBatch.NO_PRODUCER_EPOCH,
                    keep ? b.baseSequence : RecordBatch.NO_SEQUENCE, false, false, b.leaderEpoch);
            for (Stored r : b.records) {
                builder.appendWithOffset(r.offset(), r.timestamp(), r.key(), r.value(), r.headers());
            }
            ByteBuffer batch = builder.build().buffer();
            byte[] bytes = new byte[batch.remaining()];
            batch.get(bytes);
            out.write(bytes);
        }
        Path next = dir.resolve(segment.getFileName() + ".rewritten");
        Files.write(next, out.toByteArray());
        Files.move(next, segment, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".index") || name.endsWith(".timeindex") || name.endsWith(".snapshot")
                        || name.endsWith(".txnindex")) {
                    Files.delete(f);
                }
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
