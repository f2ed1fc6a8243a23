package dev.shoal.identity.api;

import static dev.shoal.testing.InternalApi.as;
import static dev.shoal.testing.InternalApi.internal;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.EventCodec;
import dev.shoal.events.NotificationEvent.NotificationsRead;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.events.AgentEvent;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.identity.domain.AgentName;
import dev.shoal.identity.projection.NameKeyUpgrade;
import dev.shoal.testing.InternalApi;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "identity"))
class AgentResourceTest {
    static final String TOKEN = InternalApi.TOKEN;

    @Inject
    DataSource dataSource;

    @Inject
    NameKeyUpgrade upgrade;

    @TestHTTPResource("/")
    URL base;

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    UUID register(String name) {
        internal().body(Map.of("name", name, "description", "d")).post("/internal/agents/register").then().statusCode(201);
        return agentId(name);
    }

    /** The id of the agent's working key, which the gateway passes along with the agent. */
    UUID workingKey(UUID agent) {
        return query("SELECT id FROM api_key WHERE agent_id = '" + agent + "' AND revoked_at IS NULL", null,
                rs -> rs.getObject(1, UUID.class));
    }

    UUID agentId(String name) {
        return query("SELECT id FROM agent WHERE name = ?", name, rs -> rs.getObject(1, UUID.class));
    }

    long count(String sql) {
        return query(sql, null, rs -> rs.getLong(1));
    }

    interface Row<T> {
        T read(ResultSet rs) throws Exception;
    }

    <T> T query(String sql, String arg, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row.read(rs) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void registrationReturnsTheKeyOnceAndStoresOnlyItsHash() {
        String name = unique("reg_");
        Response r = internal().body(Map.of("name", name, "description", "an agent"))
                .post("/internal/agents/register");
        r.then().statusCode(201)
                .body("success", equalTo(true))
                .body("agent.api_key", matchesPattern("moltbook_shoal_[A-Za-z0-9_-]{43}"))
                .body("agent.claim_url", startsWith("http://127.0.0.1:8080/claim/"))
                .body("agent.verification_code", matchesPattern("reef-[A-Z2-9]{4}"))
                .body("important", startsWith("⚠️"));
        String key = r.path("agent.api_key");
        String stored = query("SELECT k.key_hash FROM api_key k JOIN agent a ON a.id = k.agent_id WHERE a.name = ?",
                name, rs -> rs.getString(1));
        assertEquals(new ApiKeyHasher("test-hmac-secret-of-enough-length").hash(key), stored);
        assertFalse(stored.contains(key));
    }

    @Test
    void registrationIsPublishedAsACloudEventWithoutTheKey() throws Exception {
        String name = unique("evt_");
        String key = internal().header("X-Request-Id", "req-" + name).body(Map.of("name", name, "description", "x"))
                .post("/internal/agents/register").then().statusCode(201).extract().path("agent.api_key");
        UUID id = agentId(name);
        List<EventEnvelope> stream = TestLog.read(Topic.IDENTITY, id.toString(), 1, Duration.ofSeconds(20));
        assertEquals(1, stream.size(), "the registration reached " + Topic.IDENTITY);
        EventEnvelope e = stream.getFirst();
        assertEquals("shoal.agent.registered.v1", e.type());
        assertEquals("identity-service", e.source());
        assertEquals(id.toString(), e.subject());
        assertEquals(id.toString(), e.actor());
        assertEquals("req-" + name, e.correlationId());
        assertEquals(1, e.aggregateVersion(), "an agent's first event is version 1 of its stream");
        assertEquals(7, e.id().version(), "event ids are UUIDv7");
        AgentRegistered event = (AgentRegistered) EventCodec.get().decode(e);
        assertEquals(name, event.name());
        assertFalse(new String(e.data(), StandardCharsets.UTF_8).contains(key), "no key in the log");
    }

    /** Found by a load test: 38 of 200 numbered names were refused as taken. Now 200 register, in parallel. */
    @Test
    void aNumberedFleetRegistersInParallel() throws Exception {
        String tag = unique("ld").replace("_", "");
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            String name = tag + "_" + i;
            results.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "internal/agents/register"))
                    .header("X-Shoal-Internal-Token", TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
        }
        int created = 0;
        for (Future<Integer> f : results) {
            created += f.get() == 201 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(200, created, "every numbered name is its own agent");
        // Look-alikes of one of them are still that name.
        internal().body(Map.of("name", tag.toUpperCase() + "_1")).post("/internal/agents/register").then()
                .statusCode(409);
        internal().body(Map.of("name", tag + "_l")).post("/internal/agents/register").then().statusCode(409); // l as 1
    }

    /** Keys stored by an older rule are remade at start; a look-alike is then found by the new rule. */
    @Test
    void keysOfAnOlderRuleAreRemadeOnce() throws Exception {
        String name = unique("Rule_");
        UUID id = register(name);
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE agent SET name_key = '" + dev.shoal.platform.names.NameKey.leet(name)
                    + "' WHERE id = '" + id + "'");
            st.executeUpdate("UPDATE name_key_rule SET rule = 1");
        }
        assertTrue(upgrade.remakeKeys() >= 1);
        assertEquals(AgentName.key(name), query("SELECT name_key FROM agent WHERE id = '" + id + "'", null,
                rs -> rs.getString(1)));
        assertEquals(0, upgrade.remakeKeys(), "nothing left to remake");
        internal().body(Map.of("name", name.toLowerCase())).post("/internal/agents/register").then().statusCode(409);
    }

    @Test
    void fiftyConcurrentRegistrationsOfOneNameHaveExactlyOneWinner() throws Exception {
        String name = unique("race_");
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // Look-alike spellings race too: they are one name.
            String spelling = i % 3 == 0 ? name : i % 3 == 1 ? name.toUpperCase() : name.replace('o', '0');
            results.add(pool.submit(() -> {
                go.await();
                return http.send(HttpRequest.newBuilder(URI.create(base + "internal/agents/register"))
                        .header("X-Shoal-Internal-Token", TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + spelling + "\"}")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        go.countDown();
        int created = 0;
        int conflicts = 0;
        for (Future<Integer> f : results) {
            int status = f.get();
            if (status == 201) {
                created++;
            } else if (status == 409) {
                conflicts++;
            }
        }
        pool.shutdown();
        assertEquals(1, created);
        assertEquals(49, conflicts);
        Long rows = query("SELECT count(*) FROM agent WHERE name_key = ?",
                dev.shoal.platform.names.NameKey.of(name), rs -> rs.getLong(1));
        assertEquals(1L, rows.longValue());
    }

    @Test
    void badRegistrationsAreRefusedAndWriteNothing() {
        long agents = count("SELECT count(*) FROM agent");
        long events = count("SELECT count(*) FROM outbox");
        internal().body("{\"name\": ").post("/internal/agents/register").then().statusCode(400)
                .body("success", equalTo(false)).body("code", equalTo("BAD_REQUEST"));
        internal().body("{}").post("/internal/agents/register").then().statusCode(400).body("code", equalTo("VALIDATION_ERROR"));
        internal().body(Map.of("name", "x".repeat(33))).post("/internal/agents/register").then().statusCode(400)
                .body("hint", org.hamcrest.Matchers.notNullValue());
        internal().body(Map.of("name", "Adm1n")).post("/internal/agents/register").then().statusCode(400)
                .body("error", equalTo("That name is reserved"));
        internal().body(Map.of("name", unique("long_"), "description", "d".repeat(501)))
                .post("/internal/agents/register").then().statusCode(400);
        internal().body("[1,2]").post("/internal/agents/register").then().statusCode(400);
        assertEquals(agents, count("SELECT count(*) FROM agent"));
        assertEquals(events, count("SELECT count(*) FROM outbox"));
    }

    @Test
    void internalEndpointsRefuseCallersWithoutTheirOwnToken() {
        given().contentType(ContentType.JSON).body(Map.of("name", unique("tok_"))).post("/internal/agents/register")
                .then().statusCode(404);
        given().header("X-Shoal-Internal-Token", "wrong").contentType(ContentType.JSON)
                .body(Map.of("name", unique("tok_"))).post("/internal/agents/register").then().statusCode(404);
        given().header("X-Shoal-Agent-Id", UUID.randomUUID().toString()).get("/internal/agents/me").then().statusCode(404);
        // The operator's token is for operators' routes: it never acts for an agent.
        given().header("X-Shoal-Internal-Token", InternalApi.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("name", unique("tok_"))).post("/internal/agents/register").then().statusCode(404);
        given().header("X-Shoal-Internal-Token", InternalApi.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .header("X-Shoal-Agent-Id", UUID.randomUUID().toString()).post("/internal/agents/me/revoke-key")
                .then().statusCode(404);
        InternalApi.asOperator().get("/internal/projections").then().statusCode(200);
        internal().get("/internal/projections").then().statusCode(404);
    }

    @Test
    void meAndStatusNeedAKnownAgent() {
        internal().get("/internal/agents/me").then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        as(UUID.randomUUID()).get("/internal/agents/me").then().statusCode(401);
        UUID id = register(unique("me_"));
        as(id).get("/internal/agents/status").then().statusCode(200).body("status", equalTo("pending_claim"));
        as(id).get("/internal/agents/me").then().statusCode(200)
                .body("agent.id", equalTo(id.toString()))
                .body("agent.isClaimed", equalTo(false))
                .body("agent.followerCount", equalTo(0));
    }

    @Test
    void profileUpdatesAcceptBothSpellingsAndRefuseBadInput() {
        UUID id = register(unique("prof_"));
        as(id).body(Map.of("display_name", "Reef Walker", "description", "new")).patch("/internal/agents/me")
                .then().statusCode(200).body("agent.displayName", equalTo("Reef Walker"))
                .body("agent.description", equalTo("new"));
        as(id).body(Map.of("displayName", "Tide", "metadata", Map.of("model", "x"))).patch("/internal/agents/me")
                .then().statusCode(200).body("agent.displayName", equalTo("Tide"))
                .body("agent.description", equalTo("new")).body("agent.metadata.model", equalTo("x"));
        long events = count("SELECT count(*) FROM outbox");
        as(id).body("{}").patch("/internal/agents/me").then().statusCode(400);
        as(id).body(Map.of("display_name", "x".repeat(65))).patch("/internal/agents/me").then().statusCode(400);
        as(id).body(Map.of("metadata", "not an object")).patch("/internal/agents/me").then().statusCode(400);
        as(id).body(Map.of("metadata", Map.of("big", "x".repeat(5000)))).patch("/internal/agents/me").then().statusCode(400);
        internal().body(Map.of("description", "anonymous")).patch("/internal/agents/me").then().statusCode(401);
        assertEquals(events, count("SELECT count(*) FROM outbox"));
    }

    @Test
    void anAgentMarksItsNotificationsReadAsItsOwnEvent() throws Exception {
        UUID a = register(unique("nr_"));
        UUID post = UUID.randomUUID();
        String upTo = "2026-12-02T10:15:30.123456Z";
        as(a).body(Map.of("post_id", post.toString(), "up_to", upTo)).post("/internal/agents/me/notifications/read")
                .then().statusCode(200).body("success", equalTo(true));
        List<EventEnvelope> stream = TestLog.read(Topic.IDENTITY, a.toString(), 2, Duration.ofSeconds(20));
        EventEnvelope mark = stream.getLast();
        assertEquals("shoal.notifications.read.v1", mark.type());
        assertEquals(a.toString(), mark.actor());
        assertEquals(new NotificationsRead(a, post, Instant.parse(upTo)), EventCodec.get().decode(mark));
        long events = count("SELECT count(*) FROM outbox");
        internal().body(Map.of("up_to", upTo)).post("/internal/agents/me/notifications/read").then().statusCode(401);
        as(UUID.randomUUID()).body(Map.of("up_to", upTo)).post("/internal/agents/me/notifications/read")
                .then().statusCode(401);
        as(a).body(Map.of("post_id", post.toString())).post("/internal/agents/me/notifications/read")
                .then().statusCode(400);
        as(a).body(Map.of("up_to", Instant.now().plus(Duration.ofHours(1)).toString()))
                .post("/internal/agents/me/notifications/read").then().statusCode(400);
        as(a).body(Map.of("up_to", "yesterday")).post("/internal/agents/me/notifications/read").then().statusCode(400);
        assertEquals(events, count("SELECT count(*) FROM outbox"), "a refused mark records nothing");
    }

    @Test
    void followIsIdempotentAndNeverOfOneself() {
        String aName = unique("fa_");
        String bName = unique("fb_");
        UUID a = register(aName);
        UUID b = register(bName);
        long events = count("SELECT count(*) FROM outbox");
        as(a).post("/internal/agents/" + bName + "/follow").then().statusCode(200).body("action", equalTo("followed"));
        as(a).post("/internal/agents/" + bName.toUpperCase() + "/follow").then().statusCode(200);
        assertEquals(events + 1, count("SELECT count(*) FROM outbox"), "following twice records one fact");
        as(b).get("/internal/agents/me").then().body("agent.followerCount", equalTo(1));
        as(a).get("/internal/agents/me").then().body("agent.followingCount", equalTo(1));
        as(a).post("/internal/agents/" + aName + "/follow").then().statusCode(400);
        as(a).post("/internal/agents/no_such_agent_zz/follow").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        internal().post("/internal/agents/" + bName + "/follow").then().statusCode(401);
        as(a).delete("/internal/agents/" + bName + "/follow").then().statusCode(200).body("action", equalTo("unfollowed"));
        as(a).delete("/internal/agents/" + bName + "/follow").then().statusCode(200);
        as(b).get("/internal/agents/me").then().body("agent.followerCount", equalTo(0));
        assertEquals(events + 2, count("SELECT count(*) FROM outbox"));
    }

    @Test
    void rotationKillsTheOldKeyAndRevocationLeavesNone() {
        UUID id = register(unique("rot_"));
        String first = query("SELECT key_hash FROM api_key WHERE agent_id = '" + id + "' AND revoked_at IS NULL",
                null, rs -> rs.getString(1));
        UUID firstKey = workingKey(id);
        as(id).post("/internal/agents/me/rotate-key").then().statusCode(401); // no key named: none works
        String key = as(id).header("X-Shoal-Key-Id", firstKey.toString()).post("/internal/agents/me/rotate-key")
                .then().statusCode(200).body("api_key", startsWith("moltbook_shoal_")).extract().path("api_key");
        String active = query("SELECT key_hash FROM api_key WHERE agent_id = '" + id + "' AND revoked_at IS NULL",
                null, rs -> rs.getString(1));
        assertEquals(new ApiKeyHasher("test-hmac-secret-of-enough-length").hash(key), active);
        assertFalse(active.equals(first));
        // The key rotated away revokes nothing and rotates nothing; the working one revokes itself.
        as(id).header("X-Shoal-Key-Id", firstKey.toString()).post("/internal/agents/me/revoke-key").then()
                .statusCode(401);
        UUID secondKey = workingKey(id);
        as(id).header("X-Shoal-Key-Id", secondKey.toString()).post("/internal/agents/me/revoke-key").then()
                .statusCode(200);
        assertEquals(0L, count("SELECT count(*) FROM api_key WHERE agent_id = '" + id + "' AND revoked_at IS NULL"));
        // A revoked key, still admitted by a gateway that lags, cannot buy a new one.
        as(id).header("X-Shoal-Key-Id", secondKey.toString()).post("/internal/agents/me/rotate-key").then()
                .statusCode(401);
        internal().post("/internal/agents/me/rotate-key").then().statusCode(401);
    }

    /**
     * Concurrent commands on one agent (profile updates, key rotations, follows) run one after another: on the topic
     * the agent's events carry versions 1, 2, 3, ... in offset order, with no gap and no repeat, and the last
     * profile on the log is the one in the table.
     */
    @Test
    void concurrentCommandsOnOneAgentReachTheTopicInVersionOrder() throws Exception {
        UUID id = register(unique("ver_"));
        UUID key = workingKey(id);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String other = unique("vo" + i + "_");
            register(other);
            others.add(other);
        }
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            int n = i;
            HttpRequest.Builder request = HttpRequest.newBuilder().header("X-Shoal-Internal-Token", TOKEN)
                    .header("X-Shoal-Agent-Id", id.toString()).header("X-Shoal-Key-Id", key.toString())
                    .header("Content-Type", "application/json");
            HttpRequest r = switch (n % 3) {
                case 0 -> request.uri(URI.create(base + "internal/agents/me"))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\":\"d" + n + "\"}")).build();
                case 1 -> request.uri(URI.create(base + "internal/agents/me/rotate-key"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build();
                default -> request.uri(URI.create(base + "internal/agents/" + others.get(n % 5) + "/follow"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build();
            };
            results.add(pool.submit(() -> {
                go.await();
                return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        go.countDown();
        int rotated = 0;
        for (int i = 0; i < results.size(); i++) {
            int status = results.get(i).get();
            if (i % 3 == 1) {
                // All twelve rotations present the same key: the first rotates it, the others find it dead.
                assertTrue(status == 200 || status == 401, "rotation answered " + status);
                rotated += status == 200 ? 1 : 0;
            } else {
                assertEquals(200, status);
            }
        }
        assertEquals(1, rotated, "one key rotates once");
        pool.shutdown();
        long expected = 1 + 12 + 1 + 5; // registered, 12 updates, 1 rotation, 5 distinct follows
        List<EventEnvelope> stream = TestLog.read(Topic.IDENTITY, id.toString(), (int) expected, Duration.ofSeconds(30));
        assertEquals(expected, stream.size(), "every event of the agent reached the topic");
        for (int i = 0; i < stream.size(); i++) {
            assertEquals(i + 1, stream.get(i).aggregateVersion(), "offset order is version order, no gap or repeat");
        }
        AgentEvent.AgentProfileUpdated last = null;
        for (EventEnvelope e : stream) {
            if (EventCodec.get().decode(e) instanceof AgentEvent.AgentProfileUpdated u) {
                last = u;
            }
        }
        assertEquals(last.description(), query("SELECT description FROM agent WHERE id = '" + id + "'", null,
                rs -> rs.getString(1)), "the table holds the profile of the last update on the log");
        assertEquals(expected, count("SELECT version FROM event_stream WHERE subject = '" + id + "'"));
    }
}
