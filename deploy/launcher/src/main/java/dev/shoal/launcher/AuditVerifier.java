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

    record Result(long records, long partitions, long checkpoints, long unsigned, List<Finding> findings,
                  double seconds, double brokerSeconds) {
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
    private final List<Finding> findings = new ArrayList<>();

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
            List<Checkpoint> checkpoints = checkpoints(AuditedLog.checkpointRecords(consumer));
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
            consumer.assign(List.copyOf(open.keySet()));
            consumer.seekToBeginning(open.keySet());
            // Two threads, one per core: this one fetches and decodes while the checker hashes what came before.
            Checker checker = new Checker(open, progress);
            Thread thread = Thread.ofPlatform().name("audit-verify-check").start(checker);
            try {
                while (!open.isEmpty() && checker.failure == null) {
                    long p0 = System.nanoTime();
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                    polling += System.nanoTime() - p0;
                    Map<TopicPartition, Long> ends = Map.of();
                    if (!batch.isEmpty()) {
                        checker.hand(batch, thread);
                    } else {
                        ends = consumer.endOffsets(open.keySet()); // a partition that shrank meanwhile has no more
                    }
                    List<TopicPartition> read = new ArrayList<>();
                    for (TopicPartition tp : open.keySet()) {
                        long position = consumer.position(tp);
                        if (checker.stopped.contains(tp) || position >= open.get(tp).end()
                                || position >= ends.getOrDefault(tp, Long.MAX_VALUE)) {
                            read.add(tp);
                        }
                    }
                    read.forEach(open::remove);
                    consumer.pause(read);
                }
                checker.hand(Checker.END, thread);
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thread.interrupt();
                throw new IOException("interrupted", e);
            }
            if (checker.failure != null) {
                throw new IllegalStateException("the check failed: " + checker.failure, checker.failure);
            }
            records = checker.records;
            for (PartitionCheck check : all) {
                check.finish();
                unsigned += check.unsigned();
            }
            progress.done();
            return new Result(records, partitions.size(), checkpoints.size(), unsigned, List.copyOf(findings),
                    (System.nanoTime() - start) / 1e9, polling / 1e9);
        }
    }

    /**
     * Every checkpoint, from the topic and the file, each signed by the key, numbered 1, 2, 3 ... and chained by
     * digest; the two sources must hold the same ones.
     */
    private List<Checkpoint> checkpoints(List<ConsumerRecord<byte[], byte[]>> onTopic) throws IOException {
        Map<Long, Checkpoint> fromTopic = readTopic(onTopic);
        Map<Long, Checkpoint> fromFile = new TreeMap<>();
        if (Files.exists(checkpointFile)) {
            int line = 0;
            for (String text : Files.readAllLines(checkpointFile, StandardCharsets.UTF_8)) {
                line++;
                if (!text.isBlank()) {
                    Checkpoint c = parse(text, checkpointFile + ":" + line);
                    if (c != null) {
                        fromFile.put(c.sequence(), c);
                    }
                }
            }
        } else {
            findings.add(new Finding(checkpointFile.toString(), "the checkpoint file is missing"));
        }
        // the two sources hold the same checkpoints, byte for byte
        boolean fileExists = Files.exists(checkpointFile);
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
        // same ones: each distinct (digest, signature) is checked once, on every core (a check costs milliseconds)
        Map<List<String>, Checkpoint> distinct = new LinkedHashMap<>();
        for (Map<Long, Checkpoint> source : List.of(fromTopic, fromFile)) {
            source.values().forEach(c -> distinct.putIfAbsent(java.util.Arrays.asList(c.digest(), c.signature()), c));
        }
        Map<List<String>, Boolean> signedByKey = distinct.entrySet().parallelStream().collect(
                java.util.stream.Collectors.toConcurrentMap(Map.Entry::getKey, e -> e.getValue().verifies(key)));
        TreeMap<Long, Checkpoint> all = new TreeMap<>();
        for (Map<Long, Checkpoint> source : List.of(fromTopic, fromFile)) {
            for (Checkpoint c : source.values()) {
                if (!signedByKey.get(java.util.Arrays.asList(c.digest(), c.signature()))) {
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

    /**
     * Checks the batches the consumer hands over, in the order it read them (so each partition's records come in
     * offset order), on a thread of its own; tells which partitions a finding stopped.
     */
    private static final class Checker implements Runnable {
        static final ConsumerRecords<byte[], byte[]> END = new ConsumerRecords<>(Map.of(), Map.of());
        private final java.util.concurrent.BlockingQueue<ConsumerRecords<byte[], byte[]>> batches =
                new java.util.concurrent.ArrayBlockingQueue<>(2);
        private final Map<TopicPartition, PartitionCheck> checks;
        private final Progress progress;
        final java.util.Set<TopicPartition> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile Throwable failure;
        long records;

        Checker(Map<TopicPartition, PartitionCheck> checks, Progress progress) {
            this.checks = Map.copyOf(checks);
            this.progress = progress;
        }

        /** Waits for room; gives up if the checker died. */
        void hand(ConsumerRecords<byte[], byte[]> batch, Thread thread) throws InterruptedException {
            while (!batches.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    return;
                }
            }
        }

        @Override
        public void run() {
            try {
                for (ConsumerRecords<byte[], byte[]> batch = batches.take(); batch != END; batch = batches.take()) {
                    long n = 0;
                    for (TopicPartition tp : batch.partitions()) {
                        PartitionCheck check = checks.get(tp);
                        if (check == null || check.done()) {
                            continue;
                        }
                        for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
                            if (check.done()) {
                                break;
                            }
                            check.accept(r);
                            n++;
                        }
                        if (check.done()) {
                            progress.add(check.end() - check.size()); // what a finding left unread
                            stopped.add(tp);
                        }
                    }
                    records += n;
                    progress.add(n);
                }
            } catch (Throwable t) {
                failure = t;
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

        void accept(ConsumerRecord<byte[], byte[]> r) {
            if (r.offset() != tree.size()) {
                fail(tree.size(), "offset " + tree.size() + " is missing (the next record is at " + r.offset() + ")");
                return;
            }
            byte[] leaf = RecordHash.leaf(r);
            tree.append(leaf);
            chain = RecordHash.chain(chain, leaf);
            sinceGood.add(leaf);
            check(tree.size());
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
            List<byte[]> original = stored.leaves(tp.topic(), tp.partition(), goodSize, h.size());
            if (original != null && original.size() == h.size() - goodSize) {
                MerkleTree.Builder rebuilt = MerkleTree.Builder.resume(goodSize, goodEdge);
                byte[] ch = goodChain;
                for (byte[] leaf : original) {
                    rebuilt.append(leaf);
                    ch = RecordHash.chain(ch, leaf);
                }
                if (HEX.formatHex(rebuilt.root()).equals(h.root()) && HEX.formatHex(ch).equals(h.chain())) {
                    for (int i = 0; i < original.size(); i++) {
                        if (!java.util.Arrays.equals(original.get(i), sinceGood.get(i))) {
                            fail(goodSize + i, "differs from the record checkpoint " + c.sequence() + " signed");
                            return;
                        }
                    }
                }
            }
            fail(goodSize, "a record in offsets " + goodSize + " to " + (h.size() - 1) + " differs from what"
                    + " checkpoint " + c.sequence() + " signed (audit-service's leaves could not narrow it down)");
        }

        void finish() {
            if (failed) {
                return;
            }
            Long beyond = signed.ceilingKey(tree.size() + 1);
            if (beyond != null) {
                fail(tree.size(), "checkpoint " + signed.get(beyond).get(0).sequence() + " signed " + beyond
                        + " records; the broker has " + end + " (records were removed)");
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

        void add(long n) {
            done += n;
            long now = System.nanoTime();
            if (now - lastPrint > 250_000_000L) {
                lastPrint = now;
                print();
            }
        }

        private void print() {
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = seconds > 0 ? done / seconds : 0;
            int width = 30;
            int filled = total == 0 ? width : (int) (width * Math.min(1.0, (double) done / total));
            String eta = rate > 0 ? String.format("%.0fs", (total - done) / rate) : "?";
            out.print("\r\033[K[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                    + String.format(" records, %.0f/s, ETA %s", rate, eta));
            out.flush();
        }

        void done() {
            print();
            out.println();
        }
    }

    /** The verifier's words for a result: a summary, then each finding. */
    static void report(Result r, PrintStream out) {
        out.printf("Read %d records of %d partitions in %.1f s (%.0f records/s; %.1f s of it waiting on the broker)"
                        + " against %d signed checkpoints; %d records are newer than the latest checkpoint.%n",
                r.records(), r.partitions(), r.seconds(), r.seconds() > 0 ? r.records() / r.seconds() : 0,
                r.brokerSeconds(), r.checkpoints(), r.unsigned());
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
