package dev.shoal.audit.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.shoal.audit.domain.PartitionLog;
import dev.shoal.audit.messaging.Checkpoints;
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
    private final IndexWriter index = new IndexWriter("public");
    private final Map<TopicPartition, PartitionLog> logs = index.logs();
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
        // Nobody waits on the index (a checkpoint comes every few seconds): under a steady trickle of writes the broker
        // gathers up to 64 KB or 200 ms per fetch, so a batch's transaction carries many records, not one or two.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
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
        try (Connection c = db.getConnection()) {
            index.load(c, partitions);
        }
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            byPartition.put(tp, records.records(tp));
        }
        try (Connection c = db.getConnection()) {
            index.apply(c, byPartition);
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
