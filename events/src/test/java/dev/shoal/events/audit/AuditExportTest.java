package dev.shoal.events.audit;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.shoal.events.EventCodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An export verifies offline with the public key alone, and every kind of tampering is named at its first place. */
class AuditExportTest {
    private static final ObjectMapper JSON = EventCodec.get().mapper();
    private static final HexFormat HEX = HexFormat.of();
    private KeyPair key;
    private List<String> export;

    @BeforeEach
    void anExportOfFiveRecordsOfATreeOfTwelve() throws Exception {
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        MerkleTree.Builder tree = new MerkleTree.Builder();
        Map<String, byte[]> nodes = new HashMap<>();
        byte[] chain = RecordHash.GENESIS;
        for (int i = 0; i < 12; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_id", ("event-" + i).getBytes(StandardCharsets.UTF_8));
            ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("shoal.posts", 1, i, 1000L + i,
                    TimestampType.CREATE_TIME, -1, -1, ("key-" + i).getBytes(StandardCharsets.UTF_8),
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());
            records.add(r);
            byte[] leaf = RecordHash.leaf(r);
            chain = RecordHash.chain(chain, leaf);
            for (MerkleTree.Node n : tree.append(leaf)) {
                nodes.put(n.level() + "/" + n.index(), n.hash());
            }
        }
        Checkpoint c = Checkpoint.of(3, Instant.parse("2026-12-07T12:00:00Z"), "00", List.of(new Checkpoint.Head(
                "shoal.posts", 1, 12, HEX.formatHex(tree.root()), HEX.formatHex(chain)))).signed(key.getPrivate(),
                Checkpoint.keyId(key.getPublic()));
        List<AuditExport.Entry> manifest = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i : new int[] {2, 3, 5, 8, 11}) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            byte[] leaf = RecordHash.leaf(r);
            manifest.add(new AuditExport.Entry(r.topic(), r.partition(), r.offset(), HEX.formatHex(leaf)));
            lines.add(JSON.writeValueAsString(AuditExport.line(r, "event-" + i, "shoal.post.created.v1", "agent",
                    "s", "req", "2026-12-07T11:00:00Z", leaf, MerkleTree.inclusionProof(i, 12,
                            (l, x) -> nodes.get(l + "/" + x)))));
        }
        export = new ArrayList<>();
        export.add(JSON.writeValueAsString(AuditExport.header(c, "actor=agent", manifest, key.getPrivate(),
                Checkpoint.keyId(key.getPublic()))));
        export.addAll(lines);
    }

    private List<String> findings() {
        return AuditExport.verify(key.getPublic(), export);
    }

    private void change(int line, String field, String value) throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(export.get(line));
        n.put(field, value);
        export.set(line, JSON.writeValueAsString(n));
    }

    private static String flipped(String b64) {
        byte[] b = Base64.getDecoder().decode(b64);
        b[b.length / 2] ^= 1;
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void anUntouchedExportHoldsAndAnotherKeyDoesNotVouchForIt() throws Exception {
        assertEquals(List.of(), findings());
        assertTrue(AuditExport.verify(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic(), export)
                .get(0).contains("signature is not the audit key's"));
    }

    @Test
    void aFlippedByteInAValueOrAHeaderIsNamed() throws Exception {
        change(3, "value", flipped(JSON.readTree(export.get(3)).path("value").asText()));
        assertEquals(1, findings().size());
        assertTrue(findings().get(0).startsWith("shoal.posts-1@5 (line 4, event event-5): its bytes are not"),
                findings().toString());
        anExportOfFiveRecordsOfATreeOfTwelve();
        ObjectNode n = (ObjectNode) JSON.readTree(export.get(2));
        ((ObjectNode) n.path("headers").get(0)).put("value", flipped(n.path("headers").get(0).path("value").asText()));
        export.set(2, JSON.writeValueAsString(n));
        assertTrue(findings().get(0).startsWith("shoal.posts-1@3 (line 3"), findings().toString());
    }

    @Test
    void aDeletedASwappedOrAnInsertedLineIsNamed() throws Exception {
        export.remove(2);
        assertTrue(findings().get(0).startsWith("shoal.posts-1@5 (line 3, event event-5): the manifest has"
                + " shoal.posts-1@3 here"), findings().toString());
        anExportOfFiveRecordsOfATreeOfTwelve();
        String second = export.get(2);
        export.set(2, export.get(3));
        export.set(3, second);
        assertTrue(findings().get(0).startsWith("shoal.posts-1@5 (line 3"), findings().toString());
        anExportOfFiveRecordsOfATreeOfTwelve();
        export.add(2, export.get(4));
        assertTrue(findings().get(0).contains("the manifest has shoal.posts-1@3 here"), findings().toString());
        anExportOfFiveRecordsOfATreeOfTwelve();
        export.remove(export.size() - 1);
        assertTrue(findings().get(0).startsWith("shoal.posts-1@11: exported (manifest entry 5) but its line is"
                + " missing"), findings().toString());
    }

    @Test
    void aChangedOffsetWithAMatchingManifestStillFailsItsProof() throws Exception {
        // whoever rewrites both a line and the manifest breaks the manifest's signature
        ObjectNode header = (ObjectNode) JSON.readTree(export.get(0));
        ((ObjectNode) header.path("manifest").get(0)).put("offset", 4);
        export.set(0, JSON.writeValueAsString(header));
        change(1, "offset", "4");
        assertTrue(findings().get(0).startsWith("the manifest's signature is not the audit key's"),
                findings().toString());
    }

    @Test
    void aCheckpointWithABadSignatureIsNamed() throws Exception {
        ObjectNode header = (ObjectNode) JSON.readTree(export.get(0));
        ((ObjectNode) header.path("checkpoint")).put("sequence", 4);
        export.set(0, JSON.writeValueAsString(header));
        assertTrue(findings().get(0).startsWith("checkpoint 4 in the header: its signature is not the audit key's"),
                findings().toString());
    }
}
