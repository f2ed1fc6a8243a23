package dev.shoal.audit.projection;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.shoal.audit.domain.PartitionLog;
import dev.shoal.audit.messaging.Checkpoints;
import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.audit.MerkleTree;
import dev.shoal.platform.messaging.KafkaSettings;

/**
 * Reads every Shoal topic from offset 0 (dead letters included; the checkpoints are signed on their own) and keeps,
 * per topic-partition, the hash chain and Merkle tree over its records exactly as stored, with an index of who did
 * what and when. A batch's rows and the offsets read are one transaction, so a crash redoes a batch, never half.
 *
 * <p>A log that is not append-only from offset 0 (a partition truncated with {@code deleteRecords}, records missing)
 * stops the index where it stops being so: it is told on the log and in the health check, never skipped.
 */
@ApplicationScoped
public class AuditIndex {
    private static final Logger LOG = Logger.getLogger(AuditIndex.class);
    private static final int BATCH = 5000;

    private final DataSource db;
    private final KafkaSettings kafka;
    private final Checkpoints checkpoints;
    private final Map<TopicPartition, PartitionLog> logs = new HashMap<>();
    private final AtomicReference<String> stopped = new AtomicReference<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    public AuditIndex(DataSource db, KafkaSettings kafka, Checkpoints checkpoints) {
        this.db = db;
        this.kafka = kafka;
        this.checkpoints = checkpoints;
    }

    void start(@Observes StartupEvent e) {
        thread = Thread.ofPlatform().name("audit-index").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** Why the index stopped reading, or {@code null} while it reads on. */
    public String stoppedBecause() {
        return stopped.get();
    }

    private void run() {
        while (running) {
            try {
                checkpoints.recover();
                if (!indexUntilStopped()) {
                    return;
                }
            } catch (WakeupException woken) {
                return;
            } catch (PartitionLog.NotAppendOnly | org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
                stopped.set(e.getMessage());
                LOG.errorf("the log is not append-only from offset 0, so the audit stops here: %s", e.getMessage());
                return;
            } catch (Checkpoints.Refused e) {
                stopped.set(e.getMessage());
                LOG.errorf("no checkpoint is signed any more: %s", e.getMessage());
                return;
            } catch (RuntimeException | SQLException ex) {
                LOG.warnf(ex, "the audit index goes on from its last batch in a moment");
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    /** How often the index looks for partitions added to the topics (they are read from offset 0 once found). */
    private static final Duration NEW_PARTITIONS = Duration.ofSeconds(30);

    /** Reads until stopped (false) or until partitions were added, to be assigned anew (true). */
    private boolean indexUntilStopped() throws SQLException {
        Map<String, Object> config = kafka.base();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, BATCH);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) NEW_PARTITIONS.toMillis());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c);
            load(partitions);
            c.assign(partitions);
            for (TopicPartition tp : partitions) {
                c.seek(tp, logs.get(tp).size());
            }
            Instant lastCheckpoint = Instant.EPOCH;
            Instant lastLook = Instant.now();
            // what a crash left unsigned is signed at once, once the index caught up with the last checkpoint
            long sinceCheckpoint = checkpoints.unsigned(logs.values());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    apply(records);
                    sinceCheckpoint += records.count();
                }
                if (checkpoints.due(sinceCheckpoint, lastCheckpoint)
                        && checkpoints.sign(List.copyOf(logs.values())).isPresent()) {
                    sinceCheckpoint = 0;
                    lastCheckpoint = Instant.now();
                }
                if (Instant.now().isAfter(lastLook.plus(NEW_PARTITIONS))) {
                    lastLook = Instant.now();
                    if (!partitions(c).equals(partitions)) {
                        LOG.infof("partitions were added to the log: reading them from offset 0");
                        return true;
                    }
                }
            }
            return false;
        } finally {
            consumer = null;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : dev.shoal.events.audit.AuditedLog.topics()) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            for (PartitionInfo p : infos) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        partitions.sort(java.util.Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        return partitions;
    }

    /** Each partition as stored: its size and chain, and its tree's right edge from the stored nodes. */
    private void load(List<TopicPartition> partitions) throws SQLException {
        logs.clear();
        try (Connection c = db.getConnection()) {
            for (TopicPartition tp : partitions) {
                PartitionLog log = PartitionLog.empty(tp.topic(), tp.partition());
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT next_offset, chain FROM audit_partition WHERE topic = ? AND partition = ?")) {
                    ps.setString(1, tp.topic());
                    ps.setInt(2, tp.partition());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long size = rs.getLong(1);
                            List<byte[]> edge = new ArrayList<>();
                            for (long[] node : PartitionLog.edgeNodes(size)) {
                                edge.add(AuditTrees.node(c, tp.topic(), tp.partition(), (int) node[0], node[1]));
                            }
                            log = new PartitionLog(tp.topic(), tp.partition(), size, rs.getBytes(2), edge);
                        }
                    }
                }
                logs.put(tp, log);
            }
        }
    }

    /**
     * One transaction for the batch: its records, their nodes and the partitions' new heads. The logs in memory move
     * on only once it committed; a failure reloads them from the tables.
     */
    private void apply(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        Map<TopicPartition, PartitionLog> touched = new HashMap<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement rec = c.prepareStatement("INSERT INTO audit_record (topic, partition,"
                    + " record_offset, leaf, chain, event_id, type, subject, actor, correlation_id, event_time)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement node = c.prepareStatement("INSERT INTO audit_node (topic, partition, level, idx,"
                         + " hash) VALUES (?, ?, ?, ?, ?)")) {
                for (TopicPartition tp : records.partitions()) {
                    PartitionLog log = logs.get(tp).copy(); // memory moves on once the batch committed
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        PartitionLog.Appended a = log.append(r);
                        rec.setString(1, tp.topic());
                        rec.setInt(2, tp.partition());
                        rec.setLong(3, r.offset());
                        rec.setBytes(4, a.leaf());
                        rec.setBytes(5, a.chain());
                        rec.setObject(6, uuid(header(r, CloudEventHeaders.ID)));
                        rec.setString(7, header(r, CloudEventHeaders.TYPE));
                        rec.setString(8, header(r, CloudEventHeaders.SUBJECT));
                        rec.setString(9, header(r, CloudEventHeaders.ACTOR));
                        rec.setString(10, header(r, CloudEventHeaders.CORRELATION_ID));
                        rec.setTimestamp(11, time(header(r, CloudEventHeaders.TIME)));
                        rec.addBatch();
                        for (MerkleTree.Node n : a.nodes()) {
                            node.setString(1, tp.topic());
                            node.setInt(2, tp.partition());
                            node.setShort(3, (short) n.level());
                            node.setLong(4, n.index());
                            node.setBytes(5, n.hash());
                            node.addBatch();
                        }
                    }
                    touched.put(tp, log);
                }
                rec.executeBatch();
                node.executeBatch();
            }
            try (PreparedStatement head = c.prepareStatement("INSERT INTO audit_partition (topic, partition,"
                    + " next_offset, chain) VALUES (?, ?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE"
                    + " SET next_offset = excluded.next_offset, chain = excluded.chain")) {
                for (PartitionLog log : touched.values()) {
                    head.setString(1, log.topic());
                    head.setInt(2, log.partition());
                    head.setLong(3, log.size());
                    head.setBytes(4, log.chain());
                    head.addBatch();
                }
                head.executeBatch();
            }
            c.commit();
        }
        logs.putAll(touched);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static Timestamp time(String s) {
        try {
            return s == null ? null : Timestamp.from(Instant.parse(s));
        } catch (java.time.format.DateTimeParseException notATime) {
            return null;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
