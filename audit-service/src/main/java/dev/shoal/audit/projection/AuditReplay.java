package dev.shoal.audit.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import dev.shoal.platform.messaging.KafkaSettings;

/**
 * {@code ./services replay audit-service}: builds the whole audit index again from offset 0 in a schema of its own,
 * beside the live one (which goes on reading, signing and answering), with the same code, up to the sizes the live
 * index had when the replay began; then compares the two, table by table, over exactly those records. Equal means the
 * index is what the log makes of it; the replay never signs anything, so it cannot re-sign history. The rebuilt
 * schema is dropped either way: rows the log fully determines need no switch.
 */
@ApplicationScoped
public class AuditReplay {
    private static final Logger LOG = Logger.getLogger(AuditReplay.class);
    static final String SCHEMA = "audit_replay";
    private static final List<String> TABLES = List.of("audit_record", "audit_node", "audit_partition");

    /** Where a replay stands; {@code differences} is -1 until compared. */
    public record Status(String phase, long recordsRead, long recordsTotal, double recordsPerSecond, long etaSeconds,
                         long rowsCompared, long differences, Instant startedAt, Instant finishedAt, String message) {
        public boolean finished() {
            return finishedAt != null;
        }
    }

    private final DataSource db;
    private final KafkaSettings kafka;
    private volatile Status status;
    private Thread thread;

    public AuditReplay(DataSource db, KafkaSettings kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    /** The replay running or last run, if any. */
    public Status status() {
        return status;
    }

    /** Starts a replay in the background. */
    public synchronized Status start() {
        if (thread != null && thread.isAlive()) {
            throw new IllegalStateException("a replay of the audit index is already running");
        }
        status = new Status("CATCHING_UP", 0, -1, 0, -1, 0, -1, Instant.now(), null, "starting");
        thread = Thread.ofPlatform().name("audit-replay").daemon().start(this::run);
        return status;
    }

    private void run() {
        Instant started = status.startedAt();
        try {
            Map<TopicPartition, Long> bound = liveSizes();
            long total = bound.values().stream().mapToLong(Long::longValue).sum();
            recreateSchema();
            long read = replay(bound, total, started);
            status = new Status("COMPARING", read, total, rate(read, started), 0, 0, -1, started, null,
                    "comparing with the live index");
            Map<String, String> differ = new LinkedHashMap<>();
            long rows = compare(bound, differ);
            dropSchema();
            String message = differ.isEmpty()
                    ? "rebuilt equals live (" + rows + " rows over " + total + " records); nothing was signed"
                    : "rebuilt differs from live in " + String.join("; ", differ.values()) + "; live kept";
            if (!differ.isEmpty()) {
                LOG.errorf("the audit index replayed from the log differs from the live one: %s", message);
            }
            status = new Status(differ.isEmpty() ? "EQUAL" : "FAILED", read, total, rate(read, started), 0, rows,
                    differ.size(), started, Instant.now(), message);
        } catch (Exception e) {
            LOG.errorf(e, "the replay of the audit index failed");
            try {
                dropSchema();
            } catch (SQLException ignored) {
                // the next replay drops it first
            }
            status = new Status("FAILED", status.recordsRead(), status.recordsTotal(), 0, -1, 0, -1, started,
                    Instant.now(), "failed: " + e.getMessage());
        }
    }

    private static double rate(long n, Instant since) {
        double s = Duration.between(since, Instant.now()).toNanos() / 1e9;
        return s > 0 ? n / s : 0;
    }

    /** How far the live index had read each partition when the replay began: what both will hold. */
    private Map<TopicPartition, Long> liveSizes() throws SQLException {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT topic, partition, next_offset FROM audit_partition")) {
            while (rs.next()) {
                sizes.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return sizes;
    }

    private void recreateSchema() throws SQLException {
        dropSchema();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + SCHEMA);
            // the live tables' columns and keys, without the readers' indexes (the replay only writes and compares)
            st.execute("CREATE TABLE " + SCHEMA + ".audit_record (LIKE public.audit_record INCLUDING DEFAULTS)");
            st.execute("CREATE TABLE " + SCHEMA + ".audit_node (LIKE public.audit_node INCLUDING DEFAULTS)");
            st.execute("CREATE TABLE " + SCHEMA + ".audit_partition (LIKE public.audit_partition INCLUDING ALL)");
        }
    }

    private void dropSchema() throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    /** Reads every partition from offset 0 to its bound into the replay's schema. */
    private long replay(Map<TopicPartition, Long> bound, long total, Instant started) throws SQLException {
        IndexWriter index = new IndexWriter(SCHEMA);
        try (Connection c = db.getConnection()) {
            index.load(c, List.copyOf(bound.keySet()));
        }
        Map<String, Object> config = kafka.base();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> open = new ArrayList<>(bound.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(Map.Entry::getKey).toList());
            consumer.assign(open);
            open.forEach(tp -> consumer.seek(tp, 0));
            while (!open.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> upToBound = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    long end = bound.get(tp);
                    List<ConsumerRecord<byte[], byte[]>> within = records.records(tp).stream()
                            .filter(r -> r.offset() < end).toList();
                    if (!within.isEmpty()) {
                        upToBound.put(tp, within);
                        read += within.size();
                    }
                }
                if (!upToBound.isEmpty()) {
                    try (Connection c = db.getConnection()) {
                        index.apply(c, upToBound);
                    }
                }
                List<TopicPartition> done = open.stream().filter(tp -> index.logs().get(tp).size() >= bound.get(tp))
                        .toList();
                if (records.isEmpty()) { // the broker holding fewer records than the live index read is not waited out
                    Map<TopicPartition, Long> ends = consumer.endOffsets(open);
                    for (TopicPartition tp : open) {
                        if (consumer.position(tp) >= ends.get(tp) && index.logs().get(tp).size() < bound.get(tp)) {
                            throw new IllegalStateException(tp + " holds " + ends.get(tp) + " records on the broker;"
                                    + " the live index read " + bound.get(tp));
                        }
                    }
                }
                if (!done.isEmpty()) {
                    open.removeAll(done);
                    consumer.pause(done);
                }
                double rate = rate(read, started);
                status = new Status("CATCHING_UP", read, total, rate, rate > 0 ? (long) ((total - read) / rate) : -1,
                        0, -1, started, null, "reading the log from offset 0");
            }
        }
        return read;
    }

    /**
     * Each table's rows within the bound, live and rebuilt, summed up as a count and a sum of a 64-bit hash of each row
     * (order does not count); answers the rows compared and puts each table that differs in {@code differ}.
     */
    private long compare(Map<TopicPartition, Long> bound, Map<String, String> differ) throws SQLException {
        long rows = 0;
        try (Connection c = db.getConnection()) {
            for (String table : TABLES) {
                String[] live = digest(c, "public", table, bound);
                String[] rebuilt = digest(c, SCHEMA, table, bound);
                rows += Long.parseLong(live[0]);
                if (!live[0].equals(rebuilt[0]) || !live[1].equals(rebuilt[1])) {
                    differ.put(table, table + " (live " + live[0] + " rows, rebuilt " + rebuilt[0] + ")");
                }
            }
        }
        return rows;
    }

    private static String[] digest(Connection c, String schema, String table, Map<TopicPartition, Long> bound)
            throws SQLException {
        // the live index goes on appending: only what both read (the records before the bound, the subtrees and
        // heads complete within it) is compared; a live head moved past the bound is taken at the bound
        String row = switch (table) {
            case "audit_record" -> "x::text";
            case "audit_node" -> "x::text";
            default -> "(x.topic, x.partition, least(x.next_offset, b.size), CASE WHEN x.next_offset = b.size"
                    + " THEN x.chain ELSE r.chain END)::text";
        };
        String where = switch (table) {
            case "audit_record" -> " WHERE x.record_offset < b.size";
            case "audit_node" -> " WHERE ((x.idx + 1) << x.level) <= b.size";
            default -> " LEFT JOIN " + schema + ".audit_record r ON r.topic = x.topic AND r.partition = x.partition"
                    + " AND r.record_offset = b.size - 1";
        };
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(sum(('x' || substr(md5(" + row
                + "), 1, 16))::bit(64)::bigint::numeric), 0)::text FROM " + schema + "." + table + " x JOIN"
                + " unnest(?::text[], ?::int4[], ?::int8[]) AS b(topic, partition, size) ON b.topic = x.topic AND"
                + " b.partition = x.partition" + where)) {
            List<Map.Entry<TopicPartition, Long>> entries = List.copyOf(bound.entrySet());
            ps.setArray(1, c.createArrayOf("text", entries.stream().map(e -> e.getKey().topic()).toArray()));
            ps.setArray(2, c.createArrayOf("int4", entries.stream().map(e -> e.getKey().partition()).toArray()));
            ps.setArray(3, c.createArrayOf("int8", entries.stream().map(Map.Entry::getValue).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }
}
