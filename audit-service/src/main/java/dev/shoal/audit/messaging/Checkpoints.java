package dev.shoal.audit.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;

import dev.shoal.audit.domain.PartitionLog;
import dev.shoal.audit.keys.SigningKey;
import dev.shoal.audit.projection.AuditTrees;
import dev.shoal.events.EventCodec;
import dev.shoal.events.Topic;
import dev.shoal.events.audit.AuditedLog;
import dev.shoal.events.audit.Checkpoint;
import dev.shoal.events.audit.MerkleTree;
import dev.shoal.events.audit.RecordHash;
import dev.shoal.platform.messaging.KafkaSettings;

/**
 * Signs checkpoints and puts each in three places: audit-service's table, the topic {@code shoal.audit.checkpoints}
 * (one key, so one partition and one order) and a file off the broker, appended and fsynced. A checkpoint is signed
 * once: one the table has but the topic or the file lacks is sent again as it was, and after a rebuild of the tables
 * the checkpoints are read back from the topic, never signed anew.
 */
@ApplicationScoped
public class Checkpoints {
    private static final Logger LOG = Logger.getLogger(Checkpoints.class);
    /** The one key of the checkpoint topic: every checkpoint in one partition, in order. */
    static final String KEY = "checkpoints";
    private static final HexFormat HEX = HexFormat.of();

    private final DataSource db;
    private final KafkaSettings kafka;
    private final SigningKey key;
    private final Path file;
    private final long every;
    private final Duration interval;
    private final ObjectMapper json = EventCodec.get().mapper();
    private volatile KafkaProducer<String, byte[]> producer;

    public Checkpoints(DataSource db, KafkaSettings kafka, SigningKey key,
                       @ConfigProperty(name = "shoal.audit.checkpoint-file") Path file,
                       @ConfigProperty(name = "shoal.audit.checkpoint-every") long every,
                       @ConfigProperty(name = "shoal.audit.checkpoint-interval") Duration interval) {
        this.db = db;
        this.kafka = kafka;
        this.key = key;
        this.file = file;
        this.every = every;
        this.interval = interval;
    }

    void close(@Observes ShutdownEvent e) {
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    /** Whether a checkpoint is due: enough new records, or new records and the interval passed since the last. */
    public boolean due(long newRecords, Instant last) {
        return newRecords >= every || newRecords > 0 && Instant.now().isAfter(last.plus(interval));
    }

    /** Why no checkpoint may be signed any more: the key, the log or the checkpoints are not what was signed. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** Set at each start: the first checkpoint signed after it first checks the log still is what the last one signed. */
    private volatile boolean recheckLatest = true;
    /** The latest checkpoint signed, read from the table at each start, then kept as this service signs (null: unread). */
    private volatile Optional<Checkpoint> latest;
    /** The number of the file's last checkpoint: the file is read once a start, then only appended to (-1: unread). */
    private long fileLast = -1;

    /** How many records the partitions hold beyond the latest checkpoint (all of them before the first). */
    public long unsigned(java.util.Collection<PartitionLog> logs) throws SQLException {
        Optional<Checkpoint> latest = latest();
        long n = 0;
        for (PartitionLog log : logs) {
            Checkpoint.Head h = latest.map(c -> c.head(log.topic(), log.partition())).orElse(null);
            n += Math.max(0, log.size() - (h == null ? 0 : h.size()));
        }
        return n;
    }

    /**
     * Signs the partitions' state as one checkpoint after the latest, stores it, and publishes it. Signs nothing
     * while the index has not reached every size the latest checkpoint signed (after a rebuild it is catching up:
     * a smaller checkpoint would say the log shrank), nor when nothing changed. The first time after a start, the
     * stored trees must give the latest checkpoint's roots and chains at its sizes, or nothing is signed any more.
     */
    public Optional<Checkpoint> sign(List<PartitionLog> logs) throws SQLException {
        Optional<Checkpoint> latest = latest();
        if (latest.isPresent()) {
            boolean grown = false;
            for (Checkpoint.Head h : latest.get().heads()) {
                PartitionLog log = logs.stream().filter(l -> l.topic().equals(h.topic())
                        && l.partition() == h.partition()).findFirst().orElse(null);
                if (log == null) {
                    throw new Refused("checkpoint " + latest.get().sequence() + " signed " + h.topic() + "-"
                            + h.partition() + ", which the broker no longer has");
                }
                if (log.size() < h.size()) {
                    return Optional.empty();
                }
                grown |= log.size() > h.size();
            }
            grown |= logs.size() > latest.get().heads().size();
            if (recheckLatest) {
                matches(latest.get());
                recheckLatest = false;
            }
            if (!grown) {
                return Optional.empty();
            }
        }
        List<Checkpoint.Head> heads = new ArrayList<>();
        for (PartitionLog log : logs) {
            heads.add(new Checkpoint.Head(log.topic(), log.partition(), log.size(), HEX.formatHex(log.root()),
                    HEX.formatHex(log.chain())));
        }
        Checkpoint c = Checkpoint.of(latest.map(l -> l.sequence() + 1).orElse(1L), Instant.now(),
                latest.map(Checkpoint::digest).orElse(null), heads).signed(key.privateKey(), key.keyId());
        try (Connection conn = db.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "INSERT INTO audit_checkpoint (sequence, body, digest) VALUES (?, ?, ?)")) {
            ps.setLong(1, c.sequence());
            ps.setString(2, text(c));
            ps.setString(3, c.digest());
            ps.executeUpdate();
        }
        this.latest = Optional.of(c);
        publish(c);
        return Optional.of(c);
    }

    /** The stored trees give {@code c}'s root and chain for every partition at the size it signed. */
    private void matches(Checkpoint c) throws SQLException {
        try (Connection conn = db.getConnection()) {
            for (Checkpoint.Head h : c.heads()) {
                String root = HEX.formatHex(MerkleTree.root(h.size(), AuditTrees.prefetched(conn, h.topic(),
                        h.partition(), n -> MerkleTree.root(h.size(), n))));
                String chain = h.size() == 0 ? HEX.formatHex(RecordHash.GENESIS)
                        : AuditTrees.chainAt(conn, h.topic(), h.partition(), h.size() - 1);
                if (!root.equals(h.root()) || !h.chain().equals(chain)) {
                    throw new Refused("the log is not what checkpoint " + c.sequence() + " signed: the first "
                            + h.size() + " records of " + h.topic() + "-" + h.partition() + " differ");
                }
            }
        }
    }

    /**
     * At start: the checkpoints on the topic are the truth of what was signed. Each must verify with this service's
     * key (another key means the key file was replaced: nothing is signed then); those the table lacks (after a
     * rebuild or a restore) come back as they were, never signed anew; one the table holds differently is a fork.
     * Stored ones not yet on the topic or in the file go out now.
     */
    public void recover() throws SQLException {
        recheckLatest = true;
        this.latest = null;
        fileLast = -1;
        for (Checkpoint c : readTopic()) {
            if (!key.keyId().equals(c.keyId())) {
                throw new Refused("checkpoint " + c.sequence() + " was signed by key " + c.keyId() + ", not by this"
                        + " service's key " + key.keyId() + ": restore the signing key file, or the checkpoints could"
                        + " not be told from forgeries");
            }
            if (!c.verifies(key.publicKey())) {
                throw new Refused("checkpoint " + c.sequence() + " on " + Topic.AUDIT_CHECKPOINTS.id()
                        + " does not verify with this service's key");
            }
            Optional<Checkpoint> stored = bySequence(c.sequence());
            if (stored.isPresent() && !stored.get().digest().equals(c.digest())) {
                throw new Refused("checkpoint " + c.sequence() + " forks: the topic and audit-service's table hold"
                        + " two different ones");
            }
            if (stored.isEmpty()) {
                try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(
                        "INSERT INTO audit_checkpoint (sequence, body, digest, published) VALUES (?, ?, ?, true)"
                                + " ON CONFLICT DO NOTHING")) {
                    ps.setLong(1, c.sequence());
                    ps.setString(2, text(c));
                    ps.setString(3, c.digest());
                    ps.executeUpdate();
                }
            }
        }
        List<Checkpoint> pending = new ArrayList<>();
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT body FROM audit_checkpoint WHERE NOT published ORDER BY sequence")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(parse(rs.getString(1)));
                }
            }
        }
        for (Checkpoint c : pending) {
            publish(c);
        }
        this.latest = one("SELECT body FROM audit_checkpoint ORDER BY sequence DESC LIMIT 1", null);
    }

    /** The latest checkpoint signed, if any. */
    public Optional<Checkpoint> latest() throws SQLException {
        Optional<Checkpoint> known = latest;
        return known != null ? known : one("SELECT body FROM audit_checkpoint ORDER BY sequence DESC LIMIT 1", null);
    }

    /** Checkpoint number {@code sequence}, if it was signed. */
    public Optional<Checkpoint> bySequence(long sequence) throws SQLException {
        return one("SELECT body FROM audit_checkpoint WHERE sequence = ?", sequence);
    }

    private Optional<Checkpoint> one(String sql, Long sequence) throws SQLException {
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            if (sequence != null) {
                ps.setLong(1, sequence);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** To the file (unless its last line is this one or later), then to the topic; then marked published. */
    private void publish(Checkpoint c) throws SQLException {
        appendToFile(c);
        try {
            producer().send(new ProducerRecord<>(Topic.AUDIT_CHECKPOINTS.id(), KEY,
                    text(c).getBytes(StandardCharsets.UTF_8))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing checkpoint " + c.sequence(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("checkpoint " + c.sequence() + " did not reach the topic", e.getCause());
        }
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "UPDATE audit_checkpoint SET published = true WHERE sequence = ?")) {
            ps.setLong(1, c.sequence());
            ps.executeUpdate();
        }
        LOG.debugf("checkpoint %d signed and published", c.sequence());
    }

    /**
     * Appends {@code c} unless the file has it already. The file is the one place a broker's attacker does not
     * reach: a different checkpoint of the same number there is a fork, and nothing is signed any more. A line torn
     * by a crash is left as it is (the verifier reports it) and the next one starts on a line of its own. The file is
     * read the first time after a start (and for a checkpoint it may hold already); later ones are only appended.
     */
    private void appendToFile(Checkpoint c) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String prefix = "";
            if ((fileLast < 0 || c.sequence() <= fileLast) && Files.exists(file)) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                boolean there = false;
                for (String line : content.split("\n")) { // the whole file: its last number is where appends go on
                    Checkpoint held = tryParse(line);
                    fileLast = Math.max(fileLast, held == null ? -1 : held.sequence());
                    if (held != null && held.sequence() == c.sequence()) {
                        if (!held.digest().equals(c.digest())) {
                            throw new Refused("checkpoint " + c.sequence() + " forks: " + file + " holds another one");
                        }
                        there = true;
                    }
                }
                if (there) {
                    return;
                }
                prefix = content.isEmpty() || content.endsWith("\n") ? "" : "\n";
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap((prefix + text(c) + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            fileLast = Math.max(fileLast, c.sequence());
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + c.sequence() + " could not be written to " + file, e);
        }
    }

    private Checkpoint tryParse(String line) {
        try {
            return line.isBlank() ? null : json.readValue(line, Checkpoint.class);
        } catch (IOException torn) {
            return null;
        }
    }

    private List<Checkpoint> readTopic() {
        List<Checkpoint> found = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : AuditedLog.checkpointRecords(kafka.base())) {
            Checkpoint cp = r.value() == null ? null : tryParse(new String(r.value(), StandardCharsets.UTF_8));
            if (cp == null) {
                throw new Refused(r.topic() + "-" + r.partition() + "@" + r.offset() + " is not a checkpoint");
            }
            found.add(cp);
        }
        found.sort(java.util.Comparator.comparingLong(Checkpoint::sequence));
        return found;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = kafka.base();
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(config, new StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
        }
        return producer;
    }

    /** A checkpoint as it is stored, sent and exported: one line of JSON. */
    public String text(Checkpoint c) {
        try {
            return json.writeValueAsString(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Checkpoint parse(String text) {
        try {
            return json.readValue(text, Checkpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
