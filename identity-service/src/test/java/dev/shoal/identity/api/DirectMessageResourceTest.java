package dev.shoal.identity.api;

import static dev.shoal.testing.InternalApi.as;
import static dev.shoal.testing.InternalApi.internal;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.identity.domain.ConversationIds;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Direct messages through identity-service's internal API, on the real broker and PostgreSQL. */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "identity"))
class DirectMessageResourceTest {
    static final String DM = "/internal/agents/dm";

    @Inject
    DataSource dataSource;

    record Agent(UUID id, String name) {
    }

    Agent register(String prefix) {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        internal().body(Map.of("name", name, "description", "d")).post("/internal/agents/register").then()
                .statusCode(201);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM agent WHERE name = '" + name + "'")) {
            r.next();
            return new Agent(r.getObject(1, UUID.class), name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String marker() {
        return "marker-" + UUID.randomUUID();
    }

    UUID ask(Agent from, Agent to, String message) {
        return UUID.fromString(as(from.id()).body(Map.of("to", to.name(), "message", message)).post(DM + "/request")
                .then().statusCode(201).body("status", equalTo("pending")).extract().path("conversation_id"));
    }

    long rows() {
        return Db.count(dataSource, "SELECT (SELECT count(*) FROM dm_conversation) + (SELECT count(*) FROM dm_message)"
                + " + (SELECT count(*) FROM dm_read_mark) + (SELECT count(*) FROM data_key) + (SELECT count(*) FROM outbox)");
    }

    @Test
    void aRequestOnceApprovedIsAConversationBothWriteInAndNothingStoredOrLoggedIsReadable() throws Exception {
        Agent asker = register("dm_asker_");
        Agent asked = register("dm_asked_");
        String first = marker() + " would your human like to talk about reefs?";
        UUID conversation = ask(asker, asked, first);
        assertEquals(ConversationIds.of(asker.id(), asked.id()), conversation);

        as(asked.id()).get(DM + "/check").then().statusCode(200).body("has_activity", equalTo(true))
                .body("requests.count", equalTo(1)).body("requests.items[0].from.name", equalTo(asker.name()))
                .body("requests.items[0].message_preview", equalTo(first))
                .body("summary", equalTo("1 pending request, 0 unread messages"));
        as(asked.id()).get(DM + "/requests").then().statusCode(200).body("inbox", equalTo("other"))
                .body("requests.items[0].conversation_id", equalTo(conversation.toString()))
                .body("requests.items[0].message", equalTo(first));
        as(asker.id()).get(DM + "/check").then().body("has_activity", equalTo(false));
        as(asked.id()).get(DM + "/counts").then().statusCode(200).body("pending_request_count", equalTo(1))
                .body("unread_message_count", equalTo(0));
        // no conversation before consent
        as(asker.id()).body(Map.of("message", "hello?")).post(DM + "/conversations/" + conversation + "/send")
                .then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        as(asked.id()).get(DM + "/conversations").then().body("conversations.count", equalTo(0));

        as(asked.id()).post(DM + "/requests/" + conversation + "/approve").then().statusCode(200)
                .body("status", equalTo("approved"));
        String reply = marker() + " yes, gladly";
        as(asked.id()).body(Map.of("message", reply, "needs_human_input", true))
                .post(DM + "/conversations/" + conversation + "/send").then().statusCode(201)
                .body("message.from", equalTo(asked.name())).body("message.message", equalTo(reply))
                .body("message.needs_human_input", equalTo(true));
        String back = marker() + " wonderful";
        as(asker.id()).body(Map.of("message", back)).post(DM + "/conversations/" + conversation + "/send").then()
                .statusCode(201);

        as(asker.id()).get(DM + "/check").then().body("has_activity", equalTo(true))
                .body("messages.total_unread", equalTo(1)).body("messages.conversations_with_unread", equalTo(1))
                .body("messages.latest[0].from", equalTo(asked.name()))
                .body("messages.latest[0].message_preview", equalTo(reply))
                .body("messages.latest[0].needs_human_input", equalTo(true));
        as(asker.id()).get(DM + "/counts").then().body("pending_request_count", equalTo(0))
                .body("unread_message_count", equalTo(1));
        as(asker.id()).get(DM + "/conversations").then().statusCode(200).body("inbox", equalTo("main"))
                .body("total_unread", equalTo(1)).body("conversations.items[0].with_agent.name", equalTo(asked.name()))
                .body("conversations.items[0].you_initiated", equalTo(true))
                .body("conversations.items[0].unread_count", equalTo(1));
        Response read = as(asker.id()).get(DM + "/conversations/" + conversation);
        read.then().statusCode(200).body("messages.message", equalTo(List.of(first, reply, back)))
                .body("messages.from", equalTo(List.of(asker.name(), asked.name(), asker.name())))
                .body("messages.needs_human_input", equalTo(List.of(false, true, false)));
        // reading marked them read
        as(asker.id()).get(DM + "/check").then().body("has_activity", equalTo(false))
                .body("messages.total_unread", equalTo(0));
        // the request's first message stays unread in the conversation until its recipient opens it
        as(asked.id()).get(DM + "/conversations").then().body("conversations.items[0].unread_count", equalTo(2))
                .body("conversations.items[0].you_initiated", equalTo(false));

        // Nothing stored or logged shows a word of it: the tables, the outbox, the topic's raw records. (The search
        // finds what is there in clear: the agents' names.)
        assertTrue(anyTableHolds(asker.name()));
        assertEquals(1, Db.count(dataSource, "SELECT count(DISTINCT length(ciphertext)) FROM dm_message"
                + " WHERE conversation_id = '" + conversation + "'"), "texts of different lengths seal to one length");
        for (String text : List.of(first, reply, back)) {
            String mark = text.substring(0, 43);
            assertFalse(anyTableHolds(mark), "a table holds " + mark);
            assertFalse(anyTableHolds(Base64.getEncoder().encodeToString(mark.getBytes(StandardCharsets.UTF_8))
                    .substring(0, 40)), "a table holds the base64 of " + mark);
        }
        List<EventEnvelope> log = TestLog.read(Topic.MESSAGES, conversation.toString(), 5, Duration.ofSeconds(20));
        assertEquals(List.of("shoal.conversation.requested.v1", "shoal.conversation.approved.v1",
                        "shoal.conversation.message-sent.v1", "shoal.conversation.message-sent.v1",
                        "shoal.conversation.read.v1"), log.stream().map(EventEnvelope::type).toList());
        for (EventEnvelope e : log) {
            String raw = new String(e.data(), StandardCharsets.UTF_8);
            for (String text : List.of(first, reply, back)) {
                assertFalse(raw.contains(text.substring(0, 43)), e.type() + " carries the text in clear: " + raw);
            }
        }
        assertTrue(new String(log.get(0).data(), StandardCharsets.UTF_8).contains("\"ciphertext\""));
    }

    /** Whether any column of any of identity-service's tables, as text, contains {@code needle}. */
    boolean anyTableHolds(String needle) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            List<String> names = new java.util.ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String t : names) {
                try (Statement q = c.createStatement(); ResultSet r = q.executeQuery("SELECT count(*) FROM \"" + t
                        + "\" x WHERE x::text LIKE '%" + needle.replace("'", "''") + "%'"
                        + (t.equals("outbox") ? " OR convert_from(x.data, 'UTF8') LIKE '%"
                        + needle.replace("'", "''") + "%'" : ""))) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    @Test
    void aThirdAgentCanNeitherReadNorWriteNorAnswerAndTheAskerCannotApproveItself() {
        Agent asker = register("dm_a_");
        Agent asked = register("dm_b_");
        Agent stranger = register("dm_c_");
        UUID conversation = ask(asker, asked, "a private matter, " + marker());
        as(asker.id()).post(DM + "/requests/" + conversation + "/approve").then().statusCode(404);
        as(stranger.id()).post(DM + "/requests/" + conversation + "/approve").then().statusCode(404);
        as(stranger.id()).body(Map.of("block", true)).post(DM + "/requests/" + conversation + "/reject").then()
                .statusCode(404);
        as(stranger.id()).get(DM + "/requests").then().body("requests.count", equalTo(0));
        as(asked.id()).post(DM + "/requests/" + conversation + "/approve").then().statusCode(200);
        long before = rows();
        as(stranger.id()).get(DM + "/conversations/" + conversation).then().statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        as(stranger.id()).body(Map.of("message", "let me in")).post(DM + "/conversations/" + conversation + "/send")
                .then().statusCode(404);
        as(stranger.id()).get(DM + "/conversations").then().body("conversations.count", equalTo(0));
        as(stranger.id()).get(DM + "/check").then().body("has_activity", equalTo(false));
        assertEquals(before, rows(), "a stranger's tries wrote nothing, not even a key");
        // no agent header: not an agent's call
        internal().get(DM + "/conversations").then().statusCode(401);
    }

    @Test
    void aBlockedAgentCannotAskAgainWhileAPlainRejectionMayBeAskedAgain() {
        Agent asker = register("dm_blk_a_");
        Agent asked = register("dm_blk_b_");
        UUID conversation = ask(asker, asked, "first try " + marker());
        as(asked.id()).body(Map.of()).post(DM + "/requests/" + conversation + "/reject").then().statusCode(200)
                .body("status", equalTo("rejected"));
        ask(asker, asked, "second try " + marker());
        as(asked.id()).body(Map.of("block", true)).post(DM + "/requests/" + conversation + "/reject").then()
                .statusCode(200).body("status", equalTo("blocked"));
        as(asker.id()).body(Map.of("to", asked.name(), "message", "third try " + marker())).post(DM + "/request")
                .then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        // the one who blocked may still ask
        ask(asked, asker, "changed my mind " + marker());
        as(asker.id()).get(DM + "/requests").then().body("requests.items[0].from.name", equalTo(asked.name()));
    }

    @Test
    void badInputIsRefusedAndWritesNothing() {
        Agent asker = register("dm_bad_a_");
        Agent asked = register("dm_bad_b_");
        long before = rows();
        as(asker.id()).body(Map.of("to", asked.name(), "message", "too short")).post(DM + "/request").then()
                .statusCode(400).body("code", equalTo("VALIDATION_ERROR"));
        as(asker.id()).body(Map.of("to", asked.name(), "message", "x".repeat(1001))).post(DM + "/request").then()
                .statusCode(400);
        as(asker.id()).body(Map.of("to", asked.name())).post(DM + "/request").then().statusCode(400)
                .body("code", equalTo("EMPTY_CONTENT"));
        as(asker.id()).body(Map.of("to_owner", "@someone", "message", "hello there, friend")).post(DM + "/request")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("by name"));
        as(asker.id()).body(Map.of("to", "nobody_" + UUID.randomUUID().toString().substring(0, 8),
                "message", "hello there, friend")).post(DM + "/request").then().statusCode(404);
        as(asker.id()).body(Map.of("to", asker.name(), "message", "hello there, me")).post(DM + "/request").then()
                .statusCode(400).body("code", equalTo("BAD_REQUEST"));
        as(asker.id()).contentType("application/json").body("not json").post(DM + "/request").then().statusCode(400);
        as(asker.id()).post(DM + "/requests/not-an-id/approve").then().statusCode(404);
        as(asker.id()).get(DM + "/conversations/not-an-id").then().statusCode(404);
        UUID conversation = ask(asker, asked, "a proper request " + marker());
        as(asked.id()).post(DM + "/requests/" + conversation + "/approve").then().statusCode(200);
        long open = rows();
        as(asker.id()).body(Map.of("message", " ")).post(DM + "/conversations/" + conversation + "/send").then()
                .statusCode(400);
        as(asker.id()).body(Map.of("message", "y".repeat(1001))).post(DM + "/conversations/" + conversation
                + "/send").then().statusCode(400);
        assertEquals(open, rows());
        assertTrue(open > before);
    }

    UUID workingKey(Agent a) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT id FROM api_key WHERE revoked_at IS NULL AND agent_id = '"
                     + a.id() + "'")) {
            return r.next() ? r.getObject(1, UUID.class) : null;
        }
    }

    @Test
    void anErasedAgentsMessagesReadErasedWhileTheOtherSidesStayReadableAndItsPendingRequestsGo() throws Exception {
        Agent leaving = register("dm_leave_");
        Agent staying = register("dm_stay_");
        Agent asked = register("dm_asked2_");
        String mine = "leaving soon, " + marker();
        UUID conversation = ask(leaving, staying, mine);
        as(staying.id()).post(DM + "/requests/" + conversation + "/approve").then().statusCode(200);
        String theirs = "sad to hear, " + marker();
        as(staying.id()).body(Map.of("message", theirs)).post(DM + "/conversations/" + conversation + "/send").then()
                .statusCode(201);
        ask(leaving, asked, "one more request, " + marker());
        as(asked.id()).get(DM + "/requests").then().body("requests.count", equalTo(1));

        // the agent erases itself, with its working key
        as(leaving.id()).header("X-Shoal-Key-Id", UUID.randomUUID().toString()).delete("/internal/agents/me").then()
                .statusCode(401);
        as(leaving.id()).header("X-Shoal-Key-Id", workingKey(leaving).toString()).delete("/internal/agents/me")
                .then().statusCode(200);
        assertEquals(null, workingKey(leaving), "its key died with it");
        assertEquals(0, Db.count(dataSource, "SELECT count(*) FROM data_key WHERE agent_id = '" + leaving.id()
                + "' AND (wrapped IS NOT NULL OR kek_id IS NOT NULL OR destroyed_at IS NULL)"));
        assertTrue(Db.count(dataSource, "SELECT count(*) FROM data_key WHERE agent_id = '" + staying.id()
                + "' AND wrapped IS NOT NULL") > 0, "the other side's key stays");

        as(staying.id()).get(DM + "/conversations/" + conversation).then().statusCode(200)
                .body("messages.message", equalTo(List.of("[erased]", theirs)));
        as(staying.id()).body(Map.of("message", "still there?")).post(DM + "/conversations/" + conversation
                + "/send").then().statusCode(410);
        as(asked.id()).get(DM + "/requests").then().body("requests.count", equalTo(0));
        as(asked.id()).get(DM + "/check").then().body("has_activity", equalTo(false));
        as(asked.id()).body(Map.of("to", leaving.name(), "message", "are you still here?")).post(DM + "/request")
                .then().statusCode(404);
        // the erased agent itself is nobody to the conversation rules
        as(leaving.id()).body(Map.of("to", staying.name(), "message", "I am back, am I not?")).post(DM + "/request")
                .then().statusCode(401);
        List<EventEnvelope> stream = TestLog.read(Topic.IDENTITY, leaving.id().toString(), 3, Duration.ofSeconds(20));
        assertEquals(List.of("shoal.agent.registered.v1", "shoal.agent.key-revoked.v1", "shoal.agent.erased.v1"),
                stream.stream().map(EventEnvelope::type).toList());
    }

    @Test
    void theKeyEncryptionKeyRotatesWhileMessagesAreReadAndOnlyTheNewOneIsLeft() throws Exception {
        Agent one = register("dm_rot_a_");
        Agent two = register("dm_rot_b_");
        String text = "before the rotation, " + marker();
        UUID conversation = ask(one, two, text);
        java.nio.file.Path file = java.nio.file.Path.of("target/test-keys/identity-service.kek");
        String before = java.nio.file.Files.readString(file);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean rotated = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!rotated.get() || reads.get() < 5) {
                Response r = as(two.id()).get(DM + "/requests");
                if (r.statusCode() != 200 || !text.equals(r.path("requests.items[0].message"))) {
                    wrong.compareAndSet(null, r.asString());
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        internal().post("/internal/keys/rotate").then().statusCode(404); // the gateway's token is not the operator's
        Response rotation = dev.shoal.testing.InternalApi.asOperator().post("/internal/keys/rotate");
        rotated.set(true);
        reader.join(30_000);
        rotation.then().statusCode(200);
        String kek = rotation.path("kekId");
        assertTrue(((Number) rotation.path("rewrapped")).longValue() >= 1, rotation.asString());
        assertEquals(null, wrong.get(), "every read during the rotation opened the text");
        assertEquals(0, Db.count(dataSource, "SELECT count(*) FROM data_key WHERE wrapped IS NOT NULL AND kek_id <> '"
                + kek + "'"), "every live data key is wrapped by the new key");
        String after = java.nio.file.Files.readString(file);
        assertTrue(after.contains(kek + " ") && after.lines().filter(l -> l.startsWith("kek-")).count() == 1,
                "only the new key is left: " + after.lines().map(l -> l.split(" ")[0]).toList());
        assertFalse(after.equals(before));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)));
        // a new message after it is sealed as before, and the old one still opens
        as(two.id()).post(DM + "/requests/" + conversation + "/approve").then().statusCode(200);
        as(two.id()).body(Map.of("message", "after it")).post(DM + "/conversations/" + conversation + "/send").then()
                .statusCode(201);
        as(one.id()).get(DM + "/conversations/" + conversation).then()
                .body("messages.message", equalTo(List.of(text, "after it")));
    }
}
