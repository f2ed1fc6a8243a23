package dev.shoal.audit.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.EventCodec;
import dev.shoal.events.Topic;
import dev.shoal.events.audit.Checkpoint;
import dev.shoal.events.audit.MerkleTree;
import dev.shoal.events.audit.RecordHash;
import dev.shoal.testing.SharedInfra;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;

import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.InternalApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "audit"))
class AuditResourceTest {
    private static final HexFormat HEX = HexFormat.of();

    private static AgentRegistered agent() {
        UUID id = UUID.randomUUID();
        String name = "au_" + id.toString().substring(0, 8);
        return new AgentRegistered(id, name, name, "", UUID.randomUUID(), "h", "c", "reef-AAAA");
    }

    /** The record an event is, read from the broker as stored: what its leaf must hash. */
    private static ConsumerRecord<byte[], byte[]> stored(String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(SharedInfra.get().kafkaAdmin(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, partition);
            c.assign(List.of(tp));
            c.seek(tp, offset);
            for (int i = 0; i < 50; i++) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + topic + "-" + partition + "@" + offset);
    }

    /** The inclusion proof of an event, once a checkpoint covers it. */
    private static JsonPath proofOf(UUID event) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            var r = internal().queryParam("event", event.toString()).get("/internal/audit/proofs/inclusion");
            if (r.statusCode() == 200) {
                return r.jsonPath();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint covered event " + event + " within 15 s");
    }

    @Test
    void everyEventIsProvablyInASignedCheckpointAndLaterCheckpointsExtendEarlierOnes() throws Exception {
        PublicKey key = Checkpoint.publicKey(internal().get("/internal/audit/key").then().statusCode(200)
                .extract().asString());
        AgentRegistered first = agent();
        TestLog.publish(first);
        UUID firstId = TestLog.read(Topic.IDENTITY, first.subject(), 1, Duration.ofSeconds(10)).get(0).id();
        JsonPath proof = proofOf(firstId);
        Checkpoint early = EventCodec.get().mapper().readValue(internal().get("/internal/audit/checkpoints/"
                + proof.getLong("checkpoint")).asString(), Checkpoint.class);
        assertTrue(early.verifies(key), "the checkpoint is signed by the published key");

        // the leaf is the record exactly as the broker stores it, and the path leads to the signed root
        ConsumerRecord<byte[], byte[]> record = stored(proof.getString("topic"), proof.getInt("partition"),
                proof.getLong("offset"));
        byte[] leaf = RecordHash.leaf(record);
        assertArrayEquals(leaf, HEX.parseHex(proof.getString("leaf")));
        Checkpoint.Head head = early.head(proof.getString("topic"), proof.getInt("partition"));
        assertEquals(head.root(), proof.getString("root"));
        List<byte[]> path = proof.getList("path", String.class).stream().map(HEX::parseHex).toList();
        assertTrue(MerkleTree.verifyInclusion(proof.getLong("offset"), head.size(), leaf, path,
                HEX.parseHex(head.root())));
        assertFalse(MerkleTree.verifyInclusion(proof.getLong("offset"), head.size(), MerkleTree.leafHash(new byte[1]),
                path, HEX.parseHex(head.root())), "another record does not pass for it");

        // an auditor's export of what the agent did verifies offline with the public key alone
        internal().queryParam("actor", first.agentId().toString()).get("/internal/audit/export").then()
                .statusCode(403); // the gateway vouches for no auditor here
        String export = auditor().queryParam("actor", first.agentId().toString()).get("/internal/audit/export")
                .then().statusCode(200).extract().asString();
        String operators = asOperator().queryParam("actor", first.agentId().toString())
                .get("/internal/audit/export").then().statusCode(200).extract().asString();
        assertEquals(List.of(), dev.shoal.events.audit.AuditExport.verify(key, operators.lines().toList()),
                "the operator may ask too (./services audit export)");
        JsonPath found = auditor().queryParam("actor", first.agentId().toString()).get("/internal/audit/events")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(firstId.toString(), found.getString("events[0].event_id"));
        assertEquals(first.agentId().toString(), found.getString("events[0].actor"));
        internal().get("/internal/audit/events").then().statusCode(403);
        List<String> lines = export.lines().toList();
        assertEquals(2, lines.size(), export);
        assertEquals(List.of(), dev.shoal.events.audit.AuditExport.verify(key, lines));
        assertTrue(lines.get(1).contains(firstId.toString()));

        // more records, a later checkpoint: each partition's later log extends the earlier one
        AgentRegistered second = agent();
        TestLog.publish(second);
        JsonPath later = proofOf(TestLog.read(Topic.IDENTITY, second.subject(), 1, Duration.ofSeconds(10)).get(0).id());
        long to = later.getLong("checkpoint");
        Checkpoint late = EventCodec.get().mapper().readValue(internal().get("/internal/audit/checkpoints/" + to)
                .asString(), Checkpoint.class);
        assertTrue(late.verifies(key));
        assertTrue(to > early.sequence());
        JsonPath consistency = internal().queryParam("from", early.sequence()).queryParam("to", to)
                .get("/internal/audit/proofs/consistency").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> partitions = consistency.getList("partitions");
        assertFalse(partitions.isEmpty());
        for (Map<String, Object> p : partitions) {
            Checkpoint.Head a = early.head((String) p.get("topic"), (Integer) p.get("partition"));
            Checkpoint.Head b = late.head((String) p.get("topic"), (Integer) p.get("partition"));
            @SuppressWarnings("unchecked")
            List<byte[]> steps = ((List<String>) p.get("proof")).stream().map(HEX::parseHex).toList();
            assertTrue(MerkleTree.verifyConsistency(a.size(), b.size(), HEX.parseHex(a.root()),
                    HEX.parseHex(b.root()), steps), p.toString());
        }

        // checkpoints chain by digest, and the file off the broker has each one as signed
        Checkpoint previous = EventCodec.get().mapper().readValue(internal().get("/internal/audit/checkpoints/"
                + (to - 1)).asString(), Checkpoint.class);
        assertEquals(previous.digest(), late.previous());
        List<String> file = Files.readAllLines(Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("shoal.audit.checkpoint-file", String.class)));
        assertTrue(file.stream().map(l -> {
            try {
                return EventCodec.get().mapper().readValue(l, Checkpoint.class);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).anyMatch(c -> c.sequence() == to && c.digest().equals(late.digest()) && c.verifies(key)));
    }

    /** As the gateway calls for a signed-in human it vouches holds the auditor role. */
    private static io.restassured.specification.RequestSpecification auditor() {
        return internal().header(dev.shoal.platform.http.InternalCaller.HUMAN_HEADER, "an-auditor")
                .header(dev.shoal.platform.http.InternalCaller.HUMAN_ROLE_HEADER, "auditor");
    }

    @Test
    void pagesOfWhoDidWhatFollowOneAnotherWithoutGapsOrRepeats() throws Exception {
        AgentRegistered[] agents = {agent(), agent(), agent(), agent(), agent()};
        TestLog.publish(agents);
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = null;
        int pages = 0;
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (seen.size() < agents.length && System.nanoTime() < deadline) {
            seen.clear();
            cursor = null;
            pages = 0;
            do {
                var ask = auditor().queryParam("type", "shoal.agent.registered.v1").queryParam("limit", 2);
                if (cursor != null) {
                    ask = ask.queryParam("cursor", cursor);
                }
                JsonPath page = ask.get("/internal/audit/events").then().statusCode(200).extract().jsonPath();
                for (String id : page.getList("events.subject", String.class)) {
                    if (java.util.Arrays.stream(agents).anyMatch(a -> a.subject().equals(id))) {
                        assertTrue(seen.add(id), "no event comes twice: " + id);
                    }
                }
                cursor = page.getString("next_cursor");
                pages++;
            } while (cursor != null && pages < 100);
            Thread.sleep(200);
        }
        assertEquals(agents.length, seen.size(), "every registration, page by page");
    }

    @Test
    void aReplayRebuildsTheIndexBesideTheLiveOneEqualAndSignsNothing() throws Exception {
        AgentRegistered[] agents = {agent(), agent(), agent()};
        TestLog.publish(agents);
        JsonPath covered = proofOf(TestLog.read(Topic.IDENTITY, agents[2].subject(), 1, Duration.ofSeconds(10)).get(0)
                .id());
        String before = internal().get("/internal/audit/checkpoints/latest").asString();

        // only the operator starts or follows a replay
        internal().post("/internal/audit/replay").then().statusCode(404);
        given().post("/internal/audit/replay").then().statusCode(404);
        internal().get("/internal/audit/replay").then().statusCode(404);

        asOperator().post("/internal/audit/replay").then().statusCode(202).body("phase", org.hamcrest.Matchers
                .is("CATCHING_UP"));
        TestLog.publish(agent()); // the live index goes on while the replay reads
        JsonPath done = replayed();
        assertEquals("EQUAL", done.getString("phase"), done.getString("message"));
        assertEquals(0, done.getLong("differences"));
        assertTrue(done.getLong("recordsRead") > covered.getLong("offset"), done.prettify());
        assertTrue(done.getLong("rowsCompared") > done.getLong("recordsRead"), "records, nodes and heads compared");

        // the replay signed nothing: the checkpoints are the ones signed before, plus what the live index signed
        Checkpoint was = EventCodec.get().mapper().readValue(before, Checkpoint.class);
        Checkpoint same = EventCodec.get().mapper().readValue(internal().get("/internal/audit/checkpoints/"
                + was.sequence()).asString(), Checkpoint.class);
        assertEquals(was.digest(), same.digest());
        assertEquals(was.signature(), same.signature());

        // a live index that is not what the log makes of it is told: one record's actor changed in the table
        String place = " WHERE topic = '" + covered.getString("topic") + "' AND partition = "
                + covered.getInt("partition") + " AND record_offset = " + covered.getLong("offset");
        String actor;
        try (var c = db.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT actor FROM audit_record" + place)) {
            assertTrue(rs.next());
            actor = rs.getString(1);
            st.executeUpdate("UPDATE audit_record SET actor = 'someone-else'" + place);
        }
        try {
            asOperator().post("/internal/audit/replay").then().statusCode(202);
            JsonPath differs = replayed();
            assertEquals("FAILED", differs.getString("phase"));
            assertEquals(1, differs.getLong("differences"), differs.prettify());
            assertTrue(differs.getString("message").contains("audit_record"), differs.getString("message"));
        } finally {
            try (var c = db.getConnection(); var st = c.createStatement()) {
                st.executeUpdate("UPDATE audit_record SET actor = " + (actor == null ? "NULL" : "'" + actor + "'")
                        + place);
            }
        }
    }

    @jakarta.inject.Inject
    javax.sql.DataSource db;

    /** Follows the operator's replay until it finished. */
    private static JsonPath replayed() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonPath r = asOperator().get("/internal/audit/replay").then().statusCode(200).extract().jsonPath();
            if (r.getString("finishedAt") != null) {
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the replay did not finish within 30 s");
    }

    @Test
    void badQuestionsAre4xxAndStrangersFindNothing() {
        internal().queryParam("event", "not-an-id").get("/internal/audit/proofs/inclusion").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.notNullValue());
        internal().queryParam("event", UUID.randomUUID().toString()).get("/internal/audit/proofs/inclusion").then()
                .statusCode(org.hamcrest.Matchers.oneOf(404));
        internal().queryParam("from", 3).queryParam("to", 2).get("/internal/audit/proofs/consistency").then()
                .statusCode(400);
        internal().queryParam("topic", "shoal.posts").queryParam("partition", 0).queryParam("from", 0)
                .queryParam("to", 1_000_000).get("/internal/audit/leaves").then().statusCode(400);
        auditor().queryParam("limit", 0).get("/internal/audit/export").then().statusCode(400);
        auditor().queryParam("limit", 10_001).get("/internal/audit/export").then().statusCode(400);
        auditor().queryParam("since", "yesterday").get("/internal/audit/export").then().statusCode(400);
        auditor().queryParam("cursor", "not-a-cursor").get("/internal/audit/events").then().statusCode(400);
        auditor().queryParam("limit", 101).get("/internal/audit/events").then().statusCode(400);
        given().get("/internal/audit/export").then().statusCode(404);
        given().get("/internal/audit/key").then().statusCode(404);
        given().header("X-Shoal-Internal-Token", "a-token-of-nobody").get("/internal/audit/key").then()
                .statusCode(404);
        asOperator().get("/internal/audit/key").then().statusCode(200); // ./services audit verify asks too
        given().get("/internal/audit/checkpoints/latest").then().statusCode(404);
    }
}
