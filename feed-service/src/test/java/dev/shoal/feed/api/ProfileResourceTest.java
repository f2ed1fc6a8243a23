package dev.shoal.feed.api;

import static io.restassured.RestAssured.given;
import static dev.shoal.testing.InternalApi.asOperator;
import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.InternalApi.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentMetadata;
import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.FollowEvent.AgentUnfollowed;
import dev.shoal.testing.SharedInfra;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ProfileResourceTest {

    static void publish(ShoalEvent... events) {
        TestLog.publish(events);
    }

    static AgentRegistered registered(UUID id, String name) {
        return new AgentRegistered(id, name, name.toLowerCase(), "about " + name, UUID.randomUUID(), "h", "c", "reef-AAAA");
    }

    static ValidatableResponse awaitProfile(String name, String path, Object expected) {
        return await("/internal/agents/profile?name=" + name, path, expected).then();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void profilesCountFollowsWhateverOrderPartitionsArriveIn() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        String aName = unique("pa_");
        String bName = unique("pb_");
        String cName = unique("pc_");
        // a and c follow b before b's registration is seen: different keys, maybe different partitions.
        publish(registered(a, aName), new AgentFollowed(a, b), registered(c, cName), new AgentFollowed(c, b));
        publish(registered(b, bName), new AgentProfileUpdated(b, "Bee", "buzz", AgentMetadata.NONE));
        awaitProfile(bName, "agent.displayName", "Bee");
        awaitProfile(bName, "agent.followerCount", 2)
                .body("agent.displayName", equalTo("Bee"))
                .body("agent.description", equalTo("buzz"))
                .body("agent.name", equalTo(bName))
                .body("agent.status", equalTo("pending_claim"))
                .body("agent.isClaimed", equalTo(false))
                .body("success", equalTo(true));
        awaitProfile(aName, "agent.followingCount", 1);

        publish(new AgentUnfollowed(c, b));
        awaitProfile(bName, "agent.followerCount", 1);
        internal().header("X-Shoal-Agent-Id", a.toString()).queryParam("name", bName.toUpperCase())
                .get("/internal/agents/profile").then().statusCode(200).body("isFollowing", equalTo(true));
        internal().header("X-Shoal-Agent-Id", c.toString()).queryParam("name", bName)
                .get("/internal/agents/profile").then().statusCode(200).body("isFollowing", equalTo(false));
    }

    @Test
    void aClaimedAgentSaysSoAndShowsNothingOfItsOwner() {
        UUID shown = UUID.randomUUID();
        UUID anonymous = UUID.randomUUID();
        String shownName = unique("cl_");
        String anonymousName = unique("cn_");
        // the shown name is sealed on the log: feed-service cannot open it, the gateway adds it from identity-service
        publish(registered(shown, shownName), new AgentClaimed(shown, "subject-" + shown,
                        new dev.shoal.events.SealedText(UUID.randomUUID(), "bm9uY2U=", "c2VhbGVk")),
                registered(anonymous, anonymousName), new AgentClaimed(anonymous, "subject-" + anonymous, null));
        for (String name : List.of(shownName, anonymousName)) {
            awaitProfile(name, "agent.status", "claimed").body("agent.isClaimed", equalTo(true))
                    .body("agent.owner", nullValue())
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("subject-")))
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("c2VhbGVk")));
        }
    }

    /**
     * Read-your-writes: a read that names the caller's last write (as the gateway does) waits until it is applied and
     * then shows it, 100 times in a row with no sleep; one naming a write that never comes answers after the bound,
     * marked stale; one naming nothing never waits.
     */
    @Test
    void aReadNamingTheCallersWriteSeesIt() throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(SharedInfra.get().kafkaAs("identity-service"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 100; i++) {
                UUID a = UUID.randomUUID();
                String name = unique("ryw_");
                EventEnvelope e = EventEnvelope.of(registered(a, name), a.toString(), "t", Instant.now());
                p.send(CloudEventHeaders.toRecord(Topic.IDENTITY.id(), e)).get();
                internal().header("X-Shoal-Await", Topic.IDENTITY.id() + " " + e.id()).queryParam("name", name)
                        .get("/internal/agents/profile").then().statusCode(200).header("X-Shoal-Stale", nullValue())
                        .body("agent.name", equalTo(name));
            }
        }
        long start = System.nanoTime();
        internal().header("X-Shoal-Await", Topic.IDENTITY.id() + " " + UUID.randomUUID()).queryParam("name", "nobody_zz")
                .get("/internal/agents/profile").then().statusCode(404).header("X-Shoal-Stale", equalTo("true"));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 250, "waited the bound (300 ms in tests): " + waited);
        start = System.nanoTime();
        internal().queryParam("name", "nobody_zz").get("/internal/agents/profile").then().statusCode(404)
                .header("X-Shoal-Stale", nullValue());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 250, "a read naming no write does not wait");
    }

    @Test
    void aDuplicatedEventCountsOnce() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String bName = unique("db_");
        publish(registered(a, unique("da_")), registered(b, bName));
        EventEnvelope follow = EventEnvelope.of(new AgentFollowed(a, b), a.toString(), "t", Instant.now());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(SharedInfra.get().kafkaAdmin(),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(CloudEventHeaders.toRecord(Topic.IDENTITY.id(), follow));
            p.send(CloudEventHeaders.toRecord(Topic.IDENTITY.id(), follow));
        }
        // A later follow by the same follower is keyed alike, so it sits behind both copies in their partition:
        // once it counts, both copies have been read.
        UUID marker = UUID.randomUUID();
        String markerName = unique("dm_");
        publish(registered(marker, markerName));
        awaitProfile(markerName, "agent.name", markerName);
        publish(new AgentFollowed(a, marker));
        awaitProfile(markerName, "agent.followerCount", 1);
        internal().queryParam("name", bName).get("/internal/agents/profile").then().body("agent.followerCount", equalTo(1));
    }

    @Test
    void aProfileIsFoundByTheNameRuleIdentityUsesSoALookAlikeFindsTheSameAgent() throws Exception {
        String name = unique("lk_");
        publish(registered(UUID.randomUUID(), name));
        awaitProfile(name, "agent.name", name);
        internal().queryParam("name", name.toUpperCase(java.util.Locale.ROOT).replace('O', '0'))
                .get("/internal/agents/profile").then().statusCode(200).body("agent.name", equalTo(name));
    }

    @Test
    void unknownAndMissingNamesAreRefused() {
        internal().queryParam("name", "nobody_here_zz").get("/internal/agents/profile").then().statusCode(404)
                .body("code", equalTo("NOT_FOUND")).body("success", equalTo(false));
        internal().get("/internal/agents/profile").then().statusCode(400).body("code", equalTo("BAD_REQUEST"));
        given().queryParam("name", "x").get("/internal/agents/profile").then().statusCode(404);
        given().post("/internal/projections/rebuild").then().statusCode(404);
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    long indexesOf(String schema) {
        return dev.shoal.testing.Db.count(dataSource, "SELECT count(*) FROM pg_indexes WHERE schemaname = '" + schema + "'");
    }

    @Test
    void aRebuildWhileServingEqualsTheLiveProjection() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String bName = unique("rb_");
        publish(registered(a, unique("ra_")), registered(b, bName), new AgentFollowed(a, b));
        awaitProfile(bName, "agent.followerCount", 1);
        java.util.List<String> names = asOperator().get("/internal/projections").then().statusCode(200)
                .extract().path("projections.projection");
        java.util.List<Integer> versions = asOperator().get("/internal/projections").then()
                .extract().path("projections.version");
        int posts = names.indexOf("posts");
        long liveIndexes = indexesOf("proj_posts_v" + versions.get(posts));
        asOperator().post("/internal/projections/rebuild").then().statusCode(202)
                .body("rebuilds.size()", equalTo(names.size()));
        asOperator().post("/internal/projections/rebuild").then().statusCode(409);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        java.util.List<String> phases;
        do {
            // the live projections keep answering while the new versions are built
            internal().queryParam("name", bName).get("/internal/agents/profile").then().statusCode(200)
                    .body("agent.followerCount", equalTo(1));
            phases = asOperator().get("/internal/projections").then().extract().path("projections.rebuild.phase");
            Thread.sleep(100);
        } while (!phases.stream().allMatch(ph -> "SWITCHED".equals(ph) || "FAILED".equals(ph))
                && System.nanoTime() < deadline);
        var after = asOperator().get("/internal/projections").then();
        for (int i = 0; i < names.size(); i++) {
            after.body("projections[" + i + "].rebuild.phase", equalTo("SWITCHED"))
                    .body("projections[" + i + "].rebuild.differences", equalTo(0))
                    .body("projections[" + i + "].version", equalTo(versions.get(i) + 1));
        }
        internal().queryParam("name", bName).get("/internal/agents/profile").then().statusCode(200)
                .body("agent.followerCount", equalTo(1));
        assertEquals(liveIndexes, indexesOf("proj_posts_v" + (versions.get(posts) + 1)),
                "the rebuilt version gets its readers' indexes once it has caught up, as many as the live one had");
        publish(new AgentUnfollowed(a, b));
        awaitProfile(bName, "agent.followerCount", 0);
        asOperator().post("/internal/projections/rebuild?name=nope").then().statusCode(404);
        assertEquals(names.size(), versions.size());
    }
}
