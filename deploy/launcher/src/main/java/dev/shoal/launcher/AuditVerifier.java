package dev.shoal.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.events.EventCodec;
import dev.shoal.events.Topic;
import dev.shoal.events.audit.AuditedLog;
import dev.shoal.events.audit.Checkpoint;
import dev.shoal.events.audit.MerkleTree;
import dev.shoal.events.audit.RecordHash;

/**
 * {@code ./services audit verify}: re-reads every topic from the broker, recomputes every record's leaf, each
 * partition's hash chain and Merkle tree, and checks them against every signed checkpoint, trusting nothing but the
 * public key. The checkpoints come from the topic and from the file off the broker, and must agree: a checkpoint one
 * of them lacks, or two different checkpoints of one number (a fork), is a finding.
 *
 * <p>Where a partition stops matching, the first bad offset is named: audit-service's stored leaf hashes for the
 * stretch since the last good checkpoint are taken only once they rebuild that checkpoint's signed root, and then
 * compared with the broker's records one by one.
 */
final class AuditVerifier {
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = EventCodec.get().mapper();

    /** What was found wrong, each naming where. */
    record Finding(String where, String what) {
    }

    /**
     * @param checkpointSeconds reading the checkpoints and checking their signatures
     * @param readSeconds       reading the log and checking it against them, on {@code readers} threads
     * @param brokerSeconds     of that, the longest a reader waited in the consumer's poll (fetching and decoding)
     */
    record Result(long records, long partitions, long checkpoints, long unsigned, List<Finding> findings,
                  double checkpointSeconds, double readSeconds, int readers, double brokerSeconds) {
        boolean holds() {
            return findings.isEmpty();
        }
    }

    /** Leaf hashes of {@code [from, to)} of a partition, as audit-service stored them (null: not available). */
    interface StoredLeaves {
        List<byte[]> leaves(String topic, int partition, long from, long to);
    }

    private final Map<String, Object> kafka;
    private final PublicKey key;
    private final Path checkpointFile;
    private final StoredLeaves stored;
    private final PrintStream out;
    /** Readers on several threads add to it. */
    private final List<Finding> findings = java.util.Collections.synchronizedList(new ArrayList<>());

    AuditVerifier(Map<String, Object> kafka, PublicKey key, Path checkpointFile, StoredLeaves stored, PrintStream out) {
        this.kafka = kafka;
        this.key = key;
        this.checkpointFile = checkpointFile;
        this.stored = stored;
        this.out = out;
    }

    Result verify() throws IOException {
        long start = System.nanoTime();
        long records = 0;
        long unsigned = 0;
        long polling = 0;
        Map<String, Object> config = new java.util.HashMap<>(kafka);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // small batches handed over, small fetches in flight: what is alive at a collection is what gets copied
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "shoal-audit-verify");
        // the leaves check every byte; the client's CRC of each batch would only check them twice
        config.put(ConsumerConfig.CHECK_CRCS_CONFIG, false);
        List<TopicPartition> partitions = new ArrayList<>();
        // one consumer, one login, for the checkpoints and then the log
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<Checkpoint> checkpoints = checkpoints(AuditedLog.checkpointRecords(consumer), readFile());
            Map<TopicPartition, TreeMap<Long, List<Checkpoint>>> bySize = new LinkedHashMap<>();
            for (Checkpoint c : checkpoints) {
                for (Checkpoint.Head h : c.heads()) {
                    bySize.computeIfAbsent(new TopicPartition(h.topic(), h.partition()), tp -> new TreeMap<>())
                            .computeIfAbsent(h.size(), size -> new ArrayList<>()).add(c);
                }
            }
            for (String topic : AuditedLog.topics()) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            for (TopicPartition tp : bySize.keySet()) {
                if (!partitions.contains(tp)) {
                    findings.add(new Finding(tp.toString(), "a checkpoint signed this partition; the broker has none"));
                }
            }
            long reading = System.nanoTime();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
            Progress progress = new Progress(total, out);
            // every partition at once, each checked on its own: one fetch serves many
            Map<TopicPartition, PartitionCheck> open = new LinkedHashMap<>();
            List<PartitionCheck> all = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                PartitionCheck check = new PartitionCheck(tp, bySize.getOrDefault(tp, new TreeMap<>()), end.get(tp));
                all.add(check);
                if (begin.get(tp) > 0) {
                    check.fail(0, "records 0 to " + (begin.get(tp) - 1)
                            + " are gone from the broker (the partition was truncated)");
                    progress.add(end.get(tp) - begin.get(tp));
                } else if (end.get(tp) > 0) {
                    open.put(tp, check);
                }
            }
            // One reader per core, each with its own consumer over its share of the partitions (balanced by their
            // records), fetching, decoding and hashing on one core: a record's bytes never cross to another core.
            List<Map<TopicPartition, PartitionCheck>> shares = shares(open,
                    Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, open.size())));
            List<Reader> readers = new ArrayList<>();
            for (int i = 0; i < shares.size(); i++) {
                Map<String, Object> own = new java.util.HashMap<>(config);
                own.put(ConsumerConfig.CLIENT_ID_CONFIG, "shoal-audit-verify-" + i);
                readers.add(new Reader(shares.get(i), progress, i == 0 ? consumer : null, own));
            }
            List<Thread> threads = new ArrayList<>();
            for (Reader r : readers.subList(Math.min(1, readers.size()), readers.size())) {
                threads.add(Thread.ofPlatform().name("audit-verify-" + threads.size()).start(r));
            }
            if (!readers.isEmpty()) { // nothing to read when every partition is empty or truncated
                readers.get(0).run();
            }
            try {
                for (Thread t : threads) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                threads.forEach(Thread::interrupt);
                throw new IOException("interrupted", e);
            }
            for (Reader r : readers) {
                if (r.failure != null) {
                    throw new IllegalStateException("the check failed: " + r.failure, r.failure);
                }
                records += r.records;
                polling = Math.max(polling, r.polling);
            }
            for (PartitionCheck check : all) {
                check.finish();
                unsigned += check.unsigned();
            }
            progress.done();
            return new Result(records, partitions.size(), checkpoints.size(), unsigned, List.copyOf(findings),
                    (reading - start) / 1e9, (System.nanoTime() - reading) / 1e9, readers.size(), polling / 1e9);
        }
    }

    /**
     * Every checkpoint, from the topic and the file, each signed by the key, numbered 1, 2, 3 ... and chained by
     * digest; the two sources must hold the same ones.
     */
    private List<Checkpoint> checkpoints(List<ConsumerRecord<byte[], byte[]>> onTopic, FileCheckpoints file) {
        Map<Long, Checkpoint> fromTopic = readTopic(onTopic);
        Map<Long, Checkpoint> fromFile = file.bySequence();
        // the two sources hold the same checkpoints, byte for byte
        boolean fileExists = file.exists();
        long topicLast = fromTopic.isEmpty() ? 0 : java.util.Collections.max(fromTopic.keySet());
        long fileLast = fromFile.isEmpty() ? 0 : java.util.Collections.max(fromFile.keySet());
        java.util.TreeSet<Long> numbers = new java.util.TreeSet<>(fromTopic.keySet());
        numbers.addAll(fromFile.keySet());
        for (long n : numbers) {
            Checkpoint t = fromTopic.get(n);
            Checkpoint f = fromFile.get(n);
            if (t == null) {
                // audit-service writes the file first, then the topic: the newest may be on its way there
                boolean inFlight = n == fileLast && n == topicLast + 1;
                if (!inFlight) {
                    findings.add(new Finding("checkpoint " + n, "in the file but not on the topic "
                            + Topic.AUDIT_CHECKPOINTS.id()));
                }
            } else if (f == null) {
                if (fileExists) {
                    findings.add(new Finding("checkpoint " + n, "on the topic but not in the file " + checkpointFile));
                }
            } else if (!t.digest().equals(f.digest()) || !java.util.Objects.equals(t.signature(), f.signature())) {
                findings.add(new Finding("checkpoint " + n, "forks: the topic and the file hold two different"
                        + " checkpoints of this number"));
            }
        }
        // each must be signed by the key; only those are checked against the log. The topic and the file hold the
        // same ones: each distinct (digest, signature) is checked once
        Map<List<String>, Boolean> signedByKey = signedByKey(java.util.stream.Stream.concat(
                fromTopic.values().stream(), fromFile.values().stream()).toList());
        TreeMap<Long, Checkpoint> all = new TreeMap<>();
        for (Map<Long, Checkpoint> source : List.of(fromTopic, fromFile)) {
            for (Checkpoint c : source.values()) {
                if (!signedByKey.get(id(c))) {
                    findings.add(new Finding("checkpoint " + c.sequence(), "its signature is not the audit key's ("
                            + (source == fromTopic ? "on the topic" : "in the file") + ")"));
                } else {
                    all.putIfAbsent(c.sequence(), c);
                }
            }
        }
        List<Checkpoint> good = new ArrayList<>();
        Checkpoint previous = null;
        for (Checkpoint c : all.values()) {
            long expected = previous == null ? 1 : previous.sequence() + 1;
            if (c.sequence() != expected) {
                findings.add(new Finding("checkpoint " + c.sequence(), "checkpoint " + expected + " is missing"));
            } else if (!java.util.Objects.equals(c.previous(), previous == null ? null : previous.digest())) {
                findings.add(new Finding("checkpoint " + c.sequence(), "forks from the checkpoint before it (its"
                        + " previous digest is not that checkpoint's)"));
            }
            if (previous != null) {
                for (Checkpoint.Head h : previous.heads()) {
                    Checkpoint.Head now = c.head(h.topic(), h.partition());
                    if (now == null || now.size() < h.size()) {
                        findings.add(new Finding("checkpoint " + c.sequence(), h.topic() + "-" + h.partition()
                                + " shrank from " + h.size() + " records to " + (now == null ? 0 : now.size())));
                    }
                }
            }
            good.add(c);
            previous = c;
        }
        return good;
    }

    /** What makes two checkpoints the same one: their digest, the key they name and their signature. */
    private static List<String> id(Checkpoint c) {
        return java.util.Arrays.asList(c.digest(), c.keyId(), c.signature());
    }

    /** Whether each distinct checkpoint is signed by the key, checked on every core (a check costs milliseconds). */
    private Map<List<String>, Boolean> signedByKey(java.util.Collection<Checkpoint> checkpoints) {
        Map<List<String>, Checkpoint> distinct = new LinkedHashMap<>();
        checkpoints.forEach(c -> distinct.putIfAbsent(id(c), c));
        return distinct.entrySet().parallelStream().collect(
                java.util.stream.Collectors.toConcurrentMap(Map.Entry::getKey, e -> e.getValue().verifies(key)));
    }

    /** The file's checkpoints by number (none when it is missing). */
    private record FileCheckpoints(boolean exists, Map<Long, Checkpoint> bySequence) {
    }

    private FileCheckpoints readFile() {
        Map<Long, Checkpoint> fromFile = new TreeMap<>();
        if (!Files.exists(checkpointFile)) {
            findings.add(new Finding(checkpointFile.toString(), "the checkpoint file is missing"));
            return new FileCheckpoints(false, fromFile);
        }
        try {
            int line = 0;
            for (String text : Files.readAllLines(checkpointFile, StandardCharsets.UTF_8)) {
                line++;
                if (!text.isBlank()) {
                    Checkpoint c = parse(text, checkpointFile + ":" + line);
                    Checkpoint before = c == null ? null : fromFile.putIfAbsent(c.sequence(), c);
                    if (before != null && !before.digest().equals(c.digest())) {
                        findings.add(new Finding("checkpoint " + c.sequence(), "forks: the file holds two different"
                                + " checkpoints of this number (line " + line + ")"));
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + checkpointFile, e);
        }
        return new FileCheckpoints(true, fromFile);
    }

    private Map<Long, Checkpoint> readTopic(List<ConsumerRecord<byte[], byte[]>> onTopic) {
        Map<Long, Checkpoint> found = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : onTopic) {
            Checkpoint cp = parse(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8), r.topic()
                    + "-" + r.partition() + "@" + r.offset());
            if (cp != null && found.putIfAbsent(cp.sequence(), cp) != null
                    && !found.get(cp.sequence()).digest().equals(cp.digest())) {
                findings.add(new Finding("checkpoint " + cp.sequence(), "forks: the topic holds two different"
                        + " checkpoints of this number"));
            }
        }
        return found;
    }

    private Checkpoint parse(String text, String where) {
        try {
            return JSON.readValue(text, Checkpoint.class);
        } catch (IOException e) {
            findings.add(new Finding(where, "is not a checkpoint: " + e.getMessage()));
            return null;
        }
    }

    /** The open partitions split into {@code n} shares of about as many records each (largest first, to the least). */
    private static List<Map<TopicPartition, PartitionCheck>> shares(Map<TopicPartition, PartitionCheck> open, int n) {
        List<Map<TopicPartition, PartitionCheck>> shares = new ArrayList<>();
        long[] load = new long[n];
        for (int i = 0; i < n; i++) {
            shares.add(new LinkedHashMap<>());
        }
        open.values().stream().sorted(java.util.Comparator.comparingLong(PartitionCheck::end).reversed())
                .forEach(check -> {
                    int least = 0;
                    for (int i = 1; i < n; i++) {
                        least = load[i] < load[least] ? i : least;
                    }
                    load[least] += check.end();
                    shares.get(least).put(check.tp, check);
                });
        shares.removeIf(Map::isEmpty);
        return shares;
    }

    /** Reads its partitions from offset 0 to the end the broker had, checking each record as it comes. */
    private final class Reader implements Runnable {
        private final Map<TopicPartition, PartitionCheck> open;
        private final Progress progress;
        private final KafkaConsumer<byte[], byte[]> given;
        private final Map<String, Object> config;
        long records;
        long polling;
        volatile Throwable failure;

        /** {@code given}: a consumer to use (the caller closes it); null: one of its own. */
        Reader(Map<TopicPartition, PartitionCheck> open, Progress progress, KafkaConsumer<byte[], byte[]> given,
               Map<String, Object> config) {
            this.open = open;
            this.progress = progress;
            this.given = given;
            this.config = config;
        }

        @Override
        public void run() {
            KafkaConsumer<byte[], byte[]> consumer = given;
            try {
                if (consumer == null) {
                    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                }
                consumer.assign(List.copyOf(open.keySet()));
                consumer.seekToBeginning(open.keySet());
                while (!open.isEmpty()) {
                    long p0 = System.nanoTime();
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                    polling += System.nanoTime() - p0;
                    long n = 0;
                    for (TopicPartition tp : batch.partitions()) {
                        PartitionCheck check = open.get(tp);
                        if (check == null) {
                            continue;
                        }
                        for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
                            if (check.done()) {
                                break;
                            }
                            if (check.accept(r)) {
                                n++;
                            }
                        }
                    }
                    records += n;
                    progress.add(n);
                    // a partition that shrank while it was read has no more to give
                    Map<TopicPartition, Long> ends = batch.isEmpty() ? consumer.endOffsets(open.keySet()) : Map.of();
                    List<TopicPartition> read = new ArrayList<>();
                    for (PartitionCheck check : open.values()) {
                        if (check.done() || consumer.position(check.tp) >= ends.getOrDefault(check.tp, Long.MAX_VALUE)) {
                            progress.add(check.end() - check.size()); // what a finding left unread
                            read.add(check.tp);
                        }
                    }
                    read.forEach(open::remove);
                    consumer.pause(read);
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                if (given == null && consumer != null) {
                    consumer.close();
                }
            }
        }
    }

    /** One partition read from offset 0, against the sizes its checkpoints signed. */
    private final class PartitionCheck {
        private final TopicPartition tp;
        private final TreeMap<Long, List<Checkpoint>> signed;
        private MerkleTree.Builder tree = new MerkleTree.Builder();
        private byte[] chain = RecordHash.GENESIS;
        /** The state at the last size a checkpoint signed and the broker matched. */
        private long goodSize;
        private List<byte[]> goodEdge = List.of();
        private byte[] goodChain = RecordHash.GENESIS;
        private final List<byte[]> sinceGood = new ArrayList<>();
        private final long end;
        private boolean failed;
        /** The next size a checkpoint signed (none: Long.MAX_VALUE), so most records cost no lookup. */
        private long nextSigned;

        PartitionCheck(TopicPartition tp, TreeMap<Long, List<Checkpoint>> signed, long end) {
            this.tp = tp;
            this.signed = signed;
            this.end = end;
            nextSigned = signedFrom(0);
            check(0); // a checkpoint of an empty partition holds the empty tree
        }

        long size() {
            return tree.size();
        }

        boolean failed() {
            return failed;
        }

        /** Read to the end the broker had when the check began, or stopped at a finding. */
        boolean done() {
            return failed || tree.size() >= end;
        }

        long end() {
            return end;
        }

        /** Checks the next record; false when it is not the next offset (a finding, and the record is not read). */
        boolean accept(ConsumerRecord<byte[], byte[]> r) {
            if (r.offset() != tree.size()) {
                fail(tree.size(), "offset " + tree.size() + " is missing (the next record is at " + r.offset() + ")");
                return false;
            }
            byte[] leaf = RecordHash.leaf(r);
            tree.add(leaf);
            chain = RecordHash.chain(chain, leaf);
            sinceGood.add(leaf);
            check(tree.size());
            return true;
        }

        private long signedFrom(long size) {
            Long next = signed.ceilingKey(size);
            return next == null ? Long.MAX_VALUE : next;
        }

        /** Every checkpoint that signed this size must have signed these records. */
        private void check(long size) {
            if (size != nextSigned) {
                return;
            }
            nextSigned = signedFrom(size + 1);
            for (Checkpoint c : signed.getOrDefault(size, List.of())) {
                Checkpoint.Head h = c.head(tp.topic(), tp.partition());
                if (!HEX.formatHex(tree.root()).equals(h.root()) || !HEX.formatHex(chain).equals(h.chain())) {
                    locate(c, h);
                    return;
                }
            }
            goodSize = size;
            goodEdge = tree.edge();
            goodChain = chain;
            sinceGood.clear();
        }

        /** The broker's records since the last good checkpoint differ from what checkpoint {@code c} signed. */
        private void locate(Checkpoint c, Checkpoint.Head h) {
            long at = firstDifference(h);
            if (at >= 0) {
                fail(at, "differs from the record checkpoint " + c.sequence() + " signed");
            } else {
                fail(goodSize, "a record in offsets " + goodSize + " to " + (h.size() - 1) + " differs from what"
                        + " checkpoint " + c.sequence() + " signed (audit-service's leaves could not narrow it down)");
            }
        }

        /**
         * The first offset since the last good checkpoint whose record on the broker is not the one {@code h} signed,
         * by audit-service's stored leaves, taken only once they rebuild {@code h}'s root and chain; the broker's
         * size when its records agree as far as they go; -1 when the stored leaves cannot be had or trusted.
         */
        private long firstDifference(Checkpoint.Head h) {
            List<byte[]> original = stored.leaves(tp.topic(), tp.partition(), goodSize, h.size());
            if (original == null || original.size() != h.size() - goodSize) {
                return -1;
            }
            MerkleTree.Builder rebuilt = MerkleTree.Builder.resume(goodSize, goodEdge);
            byte[] ch = goodChain;
            for (byte[] leaf : original) {
                rebuilt.add(leaf);
                ch = RecordHash.chain(ch, leaf);
            }
            if (!HEX.formatHex(rebuilt.root()).equals(h.root()) || !HEX.formatHex(ch).equals(h.chain())) {
                return -1;
            }
            for (int i = 0; i < sinceGood.size(); i++) {
                if (!java.util.Arrays.equals(original.get(i), sinceGood.get(i))) {
                    return goodSize + i;
                }
            }
            return goodSize + sinceGood.size();
        }

        /** A checkpoint signed more records than the broker has: the first that differs, or where they end. */
        void finish() {
            if (failed) {
                return;
            }
            Long beyond = signed.ceilingKey(tree.size() + 1);
            if (beyond != null) {
                Checkpoint c = signed.get(beyond).get(0);
                long at = firstDifference(c.head(tp.topic(), tp.partition()));
                if (at >= 0 && at < tree.size()) {
                    fail(at, "differs from the record checkpoint " + c.sequence() + " signed");
                } else {
                    fail(tree.size(), "checkpoint " + c.sequence() + " signed " + beyond + " records; the broker has "
                            + tree.size() + " (records were removed)");
                }
            }
        }

        long unsigned() {
            return failed ? 0 : tree.size() - goodSize;
        }

        void fail(long offset, String what) {
            failed = true;
            findings.add(new Finding(tp + "@" + offset, what));
        }
    }

    /** A progress line: records read of all, records a second, time left. */
    private static final class Progress {
        private final long total;
        private final PrintStream out;
        private final long start = System.nanoTime();
        private long done;
        private long lastPrint;

        Progress(long total, PrintStream out) {
            this.total = total;
            this.out = out;
        }

        synchronized void add(long n) {
            done += n;
            long now = System.nanoTime();
            if (now - lastPrint > 250_000_000L) {
                lastPrint = now;
                print();
            }
        }

        private void print() {
            double seconds = (System.nanoTime() - start) / 1e9;
            long done = Math.min(this.done, total); // a partition that shrank while it was read counts as read
            double rate = seconds > 0 ? done / seconds : 0;
            int width = 30;
            int filled = total == 0 ? width : (int) (width * Math.min(1.0, (double) done / total));
            String eta = rate > 0 ? String.format("%.0fs", (total - done) / rate) : "?";
            out.print("\r\033[K[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                    + String.format(" records, %.0f/s, ETA %s", rate, eta));
            out.flush();
        }

        synchronized void done() {
            print();
            out.println();
        }
    }

    /** The verifier's words for a result: a summary, then each finding. */
    static void report(Result r, PrintStream out) {
        out.printf("Checked %d signed checkpoints in %.1f s, then read %d records of %d partitions in %.1f s (%.0f"
                        + " records/s on %d readers; %.1f s of it in the consumer's fetching and decoding); %d records"
                        + " are newer than the latest checkpoint.%n", r.checkpoints(), r.checkpointSeconds(),
                r.records(), r.partitions(), r.readSeconds(), r.readSeconds() > 0 ? r.records() / r.readSeconds() : 0,
                r.readers(), r.brokerSeconds(), r.unsigned());
        if (r.holds()) {
            out.println("The log holds: every record is the one the checkpoints signed, and no checkpoint forks.");
            return;
        }
        out.println(r.findings().size() + " finding(s):");
        for (Finding f : r.findings()) {
            out.println("  " + f.where() + ": " + f.what());
        }
    }

    /** audit-service's stored leaves, through its operator route; null when it cannot answer. */
    static StoredLeaves fromService(Function<String, com.fasterxml.jackson.databind.JsonNode> get) {
        return (topic, partition, from, to) -> {
            List<byte[]> leaves = new ArrayList<>();
            try {
                for (long at = from; at < to; at += 10_000) {
                    com.fasterxml.jackson.databind.JsonNode page = get.apply("/internal/audit/leaves?topic=" + topic
                            + "&partition=" + partition + "&from=" + at + "&to=" + Math.min(to, at + 10_000));
                    if (page == null) {
                        return null;
                    }
                    page.path("leaves").forEach(l -> leaves.add(HEX.parseHex(l.asText())));
                }
            } catch (RuntimeException unreachable) {
                return null;
            }
            return leaves;
        };
    }
}
