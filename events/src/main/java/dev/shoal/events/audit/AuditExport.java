package dev.shoal.events.audit;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.events.EventCodec;

/**
 * An auditor's export, as NDJSON: a first line ({@link Header}) with the signed checkpoint the export is proven
 * against, the question asked, and the manifest (each record's place and leaf, in the export's order) signed by
 * audit-service's key; then one {@link Line} per record, with its bytes as stored (base64: private texts stay
 * ciphertext, and what erasure destroyed the key of can never be opened) and its inclusion proof.
 *
 * <p>{@link #verify} needs only the public key: the checkpoint and the manifest must be the key's, every line must
 * hash to its manifest leaf in its manifest place, and every leaf must be in the checkpoint's tree. Any changed byte,
 * a line removed, added or moved, a forged checkpoint, is named at its first place.
 */
public final class AuditExport {
    public static final String KIND = "shoal.audit.export.v1";
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = EventCodec.get().mapper();

    private AuditExport() {
    }

    /** One record's place and leaf in the manifest. */
    public record Entry(String topic, int partition, long offset, String leaf) {
    }

    public record Header(String kind, Checkpoint checkpoint, String query, List<Entry> manifest,
                         @JsonProperty("key_id") String keyId, String signature) {
    }

    public record RecordHeader(String name, String value) {
    }

    /** A record as stored (key, header values and value in base64; null where the record has none). */
    public record Line(String topic, int partition, long offset, long timestamp, String key,
                       List<RecordHeader> headers, String value, @JsonProperty("event_id") String eventId,
                       String type, String actor, String subject, @JsonProperty("correlation_id") String correlationId,
                       String time, String leaf, List<String> path) {
    }

    /** What the manifest signature covers. */
    static String manifestText(String checkpointDigest, String query, List<Entry> manifest) {
        StringBuilder s = new StringBuilder(KIND).append('\n').append(checkpointDigest).append('\n')
                .append(query == null ? "" : query.replace('\n', ' ')).append('\n');
        for (Entry e : manifest) {
            s.append(e.topic()).append(' ').append(e.partition()).append(' ').append(e.offset()).append(' ')
                    .append(e.leaf()).append('\n');
        }
        return s.toString();
    }

    /** The header of an export of {@code manifest}, signed with audit-service's key. */
    public static Header header(Checkpoint checkpoint, String query, List<Entry> manifest, PrivateKey key,
                                String keyId) {
        return new Header(KIND, checkpoint, query, manifest, keyId,
                Checkpoint.sign(key, manifestText(checkpoint.digest(), query, manifest)));
    }

    /** A line for a record as consumed, with its inclusion path. */
    public static Line line(ConsumerRecord<byte[], byte[]> r, String eventId, String type, String actor,
                            String subject, String correlationId, String time, byte[] leaf, List<byte[]> path) {
        Base64.Encoder b64 = Base64.getEncoder();
        List<RecordHeader> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : r.headers().toArray()) {
            headers.add(new RecordHeader(h.key(), h.value() == null ? null : b64.encodeToString(h.value())));
        }
        return new Line(r.topic(), r.partition(), r.offset(), r.timestamp(),
                r.key() == null ? null : b64.encodeToString(r.key()), headers,
                r.value() == null ? null : b64.encodeToString(r.value()), eventId, type, actor, subject,
                correlationId, time, HEX.formatHex(leaf), path.stream().map(HEX::formatHex).toList());
    }

    /** The record a line says was stored, to hash. */
    static ConsumerRecord<byte[], byte[]> record(Line l) {
        Base64.Decoder b64 = Base64.getDecoder();
        RecordHeaders headers = new RecordHeaders();
        for (RecordHeader h : l.headers()) {
            headers.add(h.name(), h.value() == null ? null : b64.decode(h.value()));
        }
        return new ConsumerRecord<>(l.topic(), l.partition(), l.offset(), l.timestamp(), TimestampType.CREATE_TIME,
                -1, -1, l.key() == null ? null : b64.decode(l.key()), l.value() == null ? null : b64.decode(l.value()),
                headers, java.util.Optional.empty());
    }

    /** What is wrong with an export, first place first; empty when it holds. */
    public static List<String> verify(PublicKey key, List<String> ndjson) {
        List<String> findings = new ArrayList<>();
        List<String> lines = ndjson.stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return List.of("the export is empty");
        }
        Header header;
        try {
            header = JSON.readValue(lines.get(0), Header.class);
        } catch (IOException e) {
            return List.of("line 1 is not an export's header: " + e.getMessage());
        }
        if (!KIND.equals(header.kind()) || header.checkpoint() == null || header.manifest() == null) {
            return List.of("line 1 is not a " + KIND + " header");
        }
        Checkpoint c = header.checkpoint();
        if (!c.verifies(key)) {
            findings.add("checkpoint " + c.sequence() + " in the header: its signature is not the audit key's");
        }
        if (!manifestSigned(key, header)) {
            findings.add("the manifest's signature is not the audit key's (the manifest or the question was changed)");
        }
        List<Entry> manifest = header.manifest();
        int records = lines.size() - 1;
        for (int i = 0; i < Math.max(records, manifest.size()); i++) {
            int lineNumber = i + 2;
            if (i >= records) {
                Entry e = manifest.get(i);
                findings.add(e.topic() + "-" + e.partition() + "@" + e.offset() + ": exported (manifest entry "
                        + (i + 1) + ") but its line is missing");
                break;
            }
            Line l;
            try {
                l = JSON.readValue(lines.get(i + 1), Line.class);
            } catch (IOException e) {
                findings.add("line " + lineNumber + " is not a record: " + e.getMessage());
                break;
            }
            String where = l.topic() + "-" + l.partition() + "@" + l.offset() + " (line " + lineNumber
                    + (l.eventId() == null ? "" : ", event " + l.eventId()) + ")";
            if (i >= manifest.size()) {
                findings.add(where + ": not in the manifest (a line was added)");
                break;
            }
            Entry e = manifest.get(i);
            if (!e.topic().equals(l.topic()) || e.partition() != l.partition() || e.offset() != l.offset()) {
                findings.add(where + ": the manifest has " + e.topic() + "-" + e.partition() + "@" + e.offset()
                        + " here (a line was removed, added or moved)");
                break;
            }
            byte[] leaf;
            try {
                leaf = RecordHash.leaf(record(l));
            } catch (RuntimeException bad) {
                findings.add(where + ": its bytes are not base64");
                break;
            }
            if (!HEX.formatHex(leaf).equals(e.leaf())) {
                findings.add(where + ": its bytes are not the record's as stored (a byte of its key, headers or"
                        + " value changed)");
                break;
            }
            Checkpoint.Head h = c.head(l.topic(), l.partition());
            List<byte[]> path;
            try {
                path = l.path().stream().map(HEX::parseHex).toList();
            } catch (RuntimeException bad) {
                findings.add(where + ": its proof is not hex");
                break;
            }
            if (h == null || !MerkleTree.verifyInclusion(l.offset(), h.size(), leaf, path, HEX.parseHex(h.root()))) {
                findings.add(where + ": its inclusion proof does not lead to checkpoint " + c.sequence() + "'s root");
                break;
            }
        }
        return findings;
    }

    private static boolean manifestSigned(PublicKey key, Header h) {
        return Checkpoint.verifies(key, h.keyId(), manifestText(h.checkpoint().digest(), h.query(), h.manifest()),
                h.signature());
    }
}
