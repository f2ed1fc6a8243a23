package dev.shoal.audit.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.shoal.audit.keys.SigningKey;
import dev.shoal.audit.messaging.Checkpoints;
import dev.shoal.audit.messaging.StoredRecords;
import dev.shoal.events.audit.AuditExport;
import dev.shoal.audit.projection.AuditIndex;
import dev.shoal.audit.projection.AuditTrees;
import dev.shoal.events.audit.Checkpoint;
import dev.shoal.events.audit.MerkleTree;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.EvidenceRoute;
import dev.shoal.platform.http.InternalCaller;

/**
 * What anyone may check the log with: the public key, the signed checkpoints, and proofs against them: that an event
 * is in the log a checkpoint signed, and that a later checkpoint's log extends an earlier one's unchanged. None of it
 * is secret: the gateway (for auditors) and the operator ({@code ./services audit verify}) may both ask.
 */
@Path("/internal/audit")
@Produces(MediaType.APPLICATION_JSON)
@EvidenceRoute
public class AuditResource {
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_LEAVES = 10_000;

    private final DataSource db;
    private final SigningKey key;
    private final Checkpoints checkpoints;
    private final AuditIndex index;

    private final StoredRecords records;
    private final com.fasterxml.jackson.databind.ObjectMapper json = dev.shoal.events.EventCodec.get().mapper();

    public AuditResource(DataSource db, SigningKey key, Checkpoints checkpoints, AuditIndex index,
                         StoredRecords records) {
        this.records = records;
        this.db = db;
        this.key = key;
        this.checkpoints = checkpoints;
        this.index = index;
    }

    @GET
    @Path("/key")
    @Produces(MediaType.TEXT_PLAIN)
    public String key() {
        return Checkpoint.pem(key.publicKey());
    }

    /** How far the index read, and whether it stopped because the log is not append-only. */
    public record Status(@JsonProperty("latest_checkpoint") Long latestCheckpoint,
                        @JsonProperty("stopped_because") String stoppedBecause) {
    }

    @GET
    @Path("/status")
    public Status status() throws SQLException {
        return new Status(checkpoints.latest().map(Checkpoint::sequence).orElse(null), index.stoppedBecause());
    }

    @GET
    @Path("/checkpoints/latest")
    public Checkpoint latest() throws SQLException {
        return checkpoints.latest().orElseThrow(() -> ApiException.notFound("No checkpoint is signed yet",
                "The first one is signed once the log has records and the interval passed"));
    }

    @GET
    @Path("/checkpoints/{sequence}")
    public Checkpoint checkpoint(@PathParam("sequence") long sequence) throws SQLException {
        return checkpoints.bySequence(sequence).orElseThrow(() -> ApiException.notFound(
                "No checkpoint " + sequence, "GET /checkpoints/latest says how far they go"));
    }

    /** An event's place in the log, its leaf hash, and the path from it to a signed checkpoint's root. */
    public record InclusionProof(@JsonProperty("event_id") UUID eventId, String topic, int partition, long offset,
                                 String leaf, long checkpoint, @JsonProperty("tree_size") long treeSize, String root,
                                 List<String> path) {
    }

    @GET
    @Path("/proofs/inclusion")
    public InclusionProof inclusion(@QueryParam("event") String event, @QueryParam("checkpoint") Long sequence)
            throws SQLException {
        UUID id = parseId(event);
        Checkpoint c = sequence == null ? latest() : checkpoint(sequence);
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT topic, partition, record_offset, leaf FROM audit_record WHERE event_id = ?"
                        + " ORDER BY topic <> 'shoal.deadletter' DESC, topic, partition, record_offset LIMIT 1")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("No event " + id + " was read from the log",
                            "Check the id (an event's ce_id), or ask again in a moment");
                }
                String topic = rs.getString(1);
                int partition = rs.getInt(2);
                long offset = rs.getLong(3);
                Checkpoint.Head head = c.head(topic, partition);
                if (head == null || head.size() <= offset) {
                    throw ApiException.notFound("Checkpoint " + c.sequence() + " does not cover that event yet",
                            "Ask again after the next checkpoint");
                }
                MerkleTree.Nodes nodes = AuditTrees.prefetched(conn, topic, partition,
                        n -> MerkleTree.inclusionProof(offset, head.size(), n));
                List<String> path = MerkleTree.inclusionProof(offset, head.size(), nodes).stream()
                        .map(HEX::formatHex).toList();
                return new InclusionProof(id, topic, partition, offset, HEX.formatHex(rs.getBytes(4)), c.sequence(),
                        head.size(), head.root(), path);
            }
        }
    }

    /** For each partition: that its log at checkpoint {@code to} extends its log at {@code from}. */
    public record PartitionConsistency(String topic, int partition, @JsonProperty("from_size") long fromSize,
                                       @JsonProperty("to_size") long toSize, List<String> proof) {
    }

    public record ConsistencyProof(long from, long to, List<PartitionConsistency> partitions) {
    }

    @GET
    @Path("/proofs/consistency")
    public ConsistencyProof consistency(@QueryParam("from") Long from, @QueryParam("to") Long to) throws SQLException {
        if (from == null || to == null || from > to) {
            throw ApiException.badRequest("from and to must be checkpoint numbers, from no later than to",
                    "Call /proofs/consistency?from=1&to=2");
        }
        Checkpoint earlier = checkpoint(from);
        Checkpoint later = checkpoint(to);
        List<PartitionConsistency> out = new ArrayList<>();
        try (Connection conn = db.getConnection()) {
            for (Checkpoint.Head h : later.heads()) {
                Checkpoint.Head before = earlier.head(h.topic(), h.partition());
                long fromSize = before == null ? 0 : before.size();
                MerkleTree.Nodes nodes = AuditTrees.prefetched(conn, h.topic(), h.partition(),
                        n -> MerkleTree.consistencyProof(fromSize, h.size(), n));
                List<String> proof = MerkleTree.consistencyProof(fromSize, h.size(), nodes).stream()
                        .map(HEX::formatHex).toList();
                out.add(new PartitionConsistency(h.topic(), h.partition(), fromSize, h.size(), proof));
            }
        }
        return new ConsistencyProof(from, to, out);
    }

    /** The leaf hashes of a partition's records {@code [from, to)}: a verifier checks them against a signed root. */
    public record Leaves(String topic, int partition, long from, List<String> leaves) {
    }

    @GET
    @Path("/leaves")
    public Leaves leaves(@QueryParam("topic") String topic, @QueryParam("partition") Integer partition,
                         @QueryParam("from") Long from, @QueryParam("to") Long to) throws SQLException {
        if (topic == null || partition == null || from == null || to == null || from < 0 || to < from
                || to - from > MAX_LEAVES) {
            throw ApiException.badRequest("topic, partition, from and to are required, at most " + MAX_LEAVES
                    + " leaves at once", "Call /leaves?topic=shoal.posts&partition=0&from=0&to=100");
        }
        List<String> leaves = new ArrayList<>();
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT leaf FROM audit_record WHERE topic = ? AND partition = ? AND record_offset >= ?"
                        + " AND record_offset < ? ORDER BY record_offset")) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            ps.setLong(3, from);
            ps.setLong(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leaves.add(HEX.formatHex(rs.getBytes(1)));
                }
            }
        }
        return new Leaves(topic, partition, from, leaves);
    }

    /** At most this many records in one export; ask again with a narrower question for more. */
    static final int MAX_EXPORT = 10_000;

    /**
     * The records that answer an auditor's question (by actor, subject, event type, request id, time range; all
     * optional), oldest first, as NDJSON that verifies offline: a header with the latest checkpoint and the signed
     * manifest, then each record as stored with its inclusion proof ({@link AuditExport}). Only records the latest
     * checkpoint covers are exported; private texts stay ciphertext.
     */
    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    public jakarta.ws.rs.core.Response export(@jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext request,
                                              @jakarta.ws.rs.HeaderParam(InternalCaller.HUMAN_ROLE_HEADER) String role,
                                              @QueryParam("actor") String actor, @QueryParam("subject") String subject,
                                              @QueryParam("type") String type,
                                              @QueryParam("correlation_id") String correlation,
                                              @QueryParam("since") String since, @QueryParam("until") String until,
                                              @QueryParam("limit") Integer limit) throws SQLException {
        auditorOrOperator(request, role);
        int max = limit == null ? 1000 : limit;
        if (max < 1 || max > MAX_EXPORT) {
            throw ApiException.badRequest("limit must be 1 to " + MAX_EXPORT, "Ask a narrower question for more");
        }
        Filter filter = Filter.of(actor, subject, type, correlation, since, until);
        String query = filter.text() + "&limit=" + max;
        Checkpoint c = latest();
        List<Object[]> rows = new ArrayList<>();
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT topic, partition, record_offset, leaf, event_id, type, actor, subject, correlation_id,"
                        + " event_time FROM audit_record" + filter.where() + " ORDER BY " + ORDER + " LIMIT ?")) {
            int i = filter.bind(ps);
            ps.setInt(i, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Checkpoint.Head h = c.head(rs.getString(1), rs.getInt(2));
                    if (h != null && rs.getLong(3) < h.size()) {
                        rows.add(new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getBytes(4),
                                rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getTimestamp(10)});
                    }
                }
            }
            Map<TopicPartition, Set<Long>> places = new HashMap<>();
            for (Object[] r : rows) {
                places.computeIfAbsent(new TopicPartition((String) r[0], (Integer) r[1]), tp -> new HashSet<>())
                        .add((Long) r[2]);
            }
            Map<TopicPartition, Map<Long, ConsumerRecord<byte[], byte[]>>> stored = records.read(places);
            // each partition's proofs read their nodes in one query
            Map<TopicPartition, MerkleTree.Nodes> trees = new HashMap<>();
            for (Map.Entry<TopicPartition, Set<Long>> p : places.entrySet()) {
                long size = c.head(p.getKey().topic(), p.getKey().partition()).size();
                trees.put(p.getKey(), AuditTrees.prefetched(conn, p.getKey().topic(), p.getKey().partition(),
                        n -> p.getValue().forEach(offset -> MerkleTree.inclusionProof(offset, size, n))));
            }
            List<AuditExport.Entry> manifest = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (Object[] r : rows) {
                manifest.add(new AuditExport.Entry((String) r[0], (Integer) r[1], (Long) r[2],
                        HEX.formatHex((byte[]) r[3])));
                ConsumerRecord<byte[], byte[]> record = stored.get(new TopicPartition((String) r[0], (Integer) r[1]))
                        .get((Long) r[2]);
                if (record == null) {
                    continue; // gone from the broker: the manifest says it was there, the verifier names it
                }
                Checkpoint.Head h = c.head((String) r[0], (Integer) r[1]);
                List<byte[]> path = MerkleTree.inclusionProof((Long) r[2], h.size(),
                        trees.get(new TopicPartition((String) r[0], (Integer) r[1])));
                body.append(json.writeValueAsString(AuditExport.line(record, r[4] == null ? null : r[4].toString(),
                        (String) r[5], (String) r[6], (String) r[7], (String) r[8],
                        r[9] == null ? null : ((java.sql.Timestamp) r[9]).toInstant().toString(), (byte[]) r[3],
                        path))).append('\n');
            }
            String header = json.writeValueAsString(AuditExport.header(c, query, manifest, key.privateKey(),
                    key.keyId()));
            return jakarta.ws.rs.core.Response.ok(header + "\n" + body)
                    .header("Content-Disposition", "attachment; filename=\"shoal-audit-export.ndjson\"").build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Oldest first; records without an envelope's time (not events) first of all. */
    private static final String ORDER = "coalesce(event_time, timestamptz 'epoch'), topic, partition, record_offset";

    /** An auditor's question: who (actor), on what (subject), which event type, which request, when. */
    record Filter(String where, List<Object> args, String text) {
        static Filter of(String actor, String subject, String type, String correlation, String since, String until) {
            java.time.Instant from = instant("since", since);
            java.time.Instant to = instant("until", until);
            StringBuilder where = new StringBuilder(" WHERE true");
            List<Object> args = new ArrayList<>();
            for (String[] f : new String[][] {{"actor", actor}, {"subject", subject}, {"type", type},
                    {"correlation_id", correlation}}) {
                if (f[1] != null && !f[1].isBlank()) {
                    if (f[1].length() > 200) {
                        throw ApiException.badRequest(f[0] + " is at most 200 characters", "Ask for one " + f[0]);
                    }
                    where.append(" AND ").append(f[0]).append(" = ?");
                    args.add(f[1]);
                }
            }
            if (from != null) {
                where.append(" AND event_time >= ?");
                args.add(java.sql.Timestamp.from(from));
            }
            if (to != null) {
                where.append(" AND event_time < ?");
                args.add(java.sql.Timestamp.from(to));
            }
            return new Filter(where.toString(), args, "actor=" + nz(actor) + "&subject=" + nz(subject) + "&type="
                    + nz(type) + "&correlation_id=" + nz(correlation) + "&since=" + (from == null ? "" : from)
                    + "&until=" + (to == null ? "" : to));
        }

        /** Binds the arguments; answers the next parameter's index. */
        int bind(PreparedStatement ps) throws SQLException {
            int i = 1;
            for (Object a : args) {
                ps.setObject(i++, a);
            }
            return i;
        }
    }

    /** One event as the index has it: who did what to what, when, in which request, and where it is on the log. */
    public record AuditedEvent(@JsonProperty("event_id") UUID eventId, String type, String actor, String subject,
                               @JsonProperty("correlation_id") String correlationId, java.time.Instant time,
                               String topic, int partition, long offset) {
    }

    public record AuditedEvents(boolean success, List<AuditedEvent> events,
                                @JsonProperty("next_cursor") String nextCursor) {
    }

    /** Who did what, when: the index's events that answer the question, oldest first, a page at a time. */
    @GET
    @Path("/events")
    public AuditedEvents events(@jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext request,
                                @jakarta.ws.rs.HeaderParam(InternalCaller.HUMAN_ROLE_HEADER) String role,
                                @QueryParam("actor") String actor, @QueryParam("subject") String subject,
                                @QueryParam("type") String type, @QueryParam("correlation_id") String correlation,
                                @QueryParam("since") String since, @QueryParam("until") String until,
                                @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit)
            throws SQLException {
        auditorOrOperator(request, role);
        int max = limit == null ? 50 : limit;
        if (max < 1 || max > 100) {
            throw ApiException.badRequest("limit must be 1 to 100", "Page with next_cursor");
        }
        Filter filter = Filter.of(actor, subject, type, correlation, since, until);
        Object[] after = cursor == null || cursor.isBlank() ? null : Cursor.parse(cursor);
        String where = filter.where() + (after == null ? ""
                : " AND (" + ORDER + ") > (?, ?, ?, ?)");
        List<AuditedEvent> events = new ArrayList<>();
        try (Connection conn = db.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT event_id, type, actor, subject, correlation_id, event_time, topic, partition, record_offset"
                        + " FROM audit_record" + where + " ORDER BY " + ORDER + " LIMIT ?")) {
            int i = filter.bind(ps);
            if (after != null) {
                for (Object a : after) {
                    ps.setObject(i++, a);
                }
            }
            ps.setInt(i, max + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Timestamp t = rs.getTimestamp(6);
                    events.add(new AuditedEvent(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), t == null ? null : t.toInstant(), rs.getString(7),
                            rs.getInt(8), rs.getLong(9)));
                }
            }
        }
        String next = null;
        if (events.size() > max) {
            events.remove(max);
            next = Cursor.of(events.get(max - 1));
        }
        return new AuditedEvents(true, events, next);
    }

    /** A page's end: the last event's place in the order, opaque to the caller. */
    static final class Cursor {
        private Cursor() {
        }

        static String of(AuditedEvent e) {
            long micros = e.time() == null ? 0 : e.time().getEpochSecond() * 1_000_000 + e.time().getNano() / 1000;
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "|" + e.topic() + "|"
                    + e.partition() + "|" + e.offset()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Object[] parse(String cursor) {
            try {
                String[] p = new String(java.util.Base64.getUrlDecoder().decode(cursor),
                        java.nio.charset.StandardCharsets.UTF_8).split("\\|", 4);
                long micros = Long.parseLong(p[0]);
                java.time.Instant t = java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                        Math.floorMod(micros, 1_000_000) * 1000);
                return new Object[] {java.time.OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC), p[1],
                        Integer.parseInt(p[2]), Long.parseLong(p[3])};
            } catch (RuntimeException e) {
                throw ApiException.badRequest("cursor is not one this API gave", "Pass next_cursor as it came");
            }
        }
    }

    /**
     * Who did what is for auditors: through the gateway only for a human it vouches holds the {@code auditor} role,
     * or for the operator's {@code ./services audit export}. Proofs and checkpoints stay anyone's.
     */
    private static void auditorOrOperator(jakarta.ws.rs.container.ContainerRequestContext request, String role) {
        if (!InternalCaller.OPERATOR.equals(request.getProperty(InternalCaller.CALLER_PROPERTY))
                && !"auditor".equals(role)) {
            throw ApiException.forbidden("Only auditors ask who did what", "Sign in with the auditor role");
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static java.time.Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant", "For example 2026-12-07T00:00:00Z");
        }
    }

    private static UUID parseId(String event) {
        try {
            return UUID.fromString(event);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.badRequest("event must be an event id (a UUID)", "Call /proofs/inclusion?event=<ce_id>");
        }
    }
}
