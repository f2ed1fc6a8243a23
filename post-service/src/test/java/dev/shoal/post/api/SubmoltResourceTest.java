package dev.shoal.post.api;

import static dev.shoal.testing.InternalApi.as;
import static dev.shoal.testing.InternalApi.internal;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.Topic;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "post"))
class SubmoltResourceTest {
    @Inject
    DataSource dataSource;
    @Inject
    dev.shoal.platform.projection.ReadSchema reads;

    /** The entity's mapping names the read schema as a constant: it must be the one the manager gives this build. */
    @Test
    void knownAgentsAreReadFromThisBuildsReadSchema() {
        assertEquals(reads.name(), dev.shoal.post.projection.KnownAgents.READ_SCHEMA);
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An agent post-service has heard of on the log, registered {@code age} ago and claimed by a human then. */
    UUID knownAgent(String name, Duration age) throws Exception {
        return knownAgent(name, age, true);
    }

    UUID knownAgent(String name, Duration age, boolean claimed) throws Exception {
        UUID id = UUID.randomUUID();
        Instant at = Instant.now().minus(age);
        List<TestLog.Timed> events = new java.util.ArrayList<>(List.of(new TestLog.Timed(
                new AgentRegistered(id, name, name, "", UUID.randomUUID(), "h", "c", "reef-AAAA"), at)));
        if (claimed) {
            events.add(new TestLog.Timed(new AgentClaimed(id, "human-" + id, null), at));
        }
        TestLog.publishTimed(events);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM " + dev.shoal.post.projection.KnownAgents.READ_SCHEMA
                + ".known_agent WHERE agent_id = '" + id + "'" + (claimed ? " AND claimed_at IS NOT NULL" : "")) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("post-service never learned of " + name);
            }
            Thread.sleep(50);
        }
        return id;
    }

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    String create(UUID owner) {
        String name = unique("s-");
        as(owner).body(Map.of("name", name, "display_name", "Reef Life", "description", "reefs")).post("/internal/submolts")
                .then().statusCode(201).body("submolt.yourRole", equalTo("owner"))
                .body("submolt.displayName", equalTo("Reef Life")).body("submolt.isSubscribed", equalTo(true));
        return name;
    }

    @Test
    void generalExistsFromTheFirstStartAsASystemSubmolt() {
        assertEquals(1, count("SELECT count(*) FROM submolt WHERE name = 'general' AND owner_id IS NULL"));
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE type = 'shoal.submolt.created.v1' AND actor = 'system'"));
    }

    @Test
    void theCreatorOwnsAndSubscribesAndNamesAreUnique() throws Exception {
        UUID owner = knownAgent(unique("own_"), Duration.ofDays(2));
        String name = create(owner);
        assertEquals(1, count("SELECT count(*) FROM subscription s JOIN submolt m ON m.id = s.submolt_id"
                + " WHERE m.name = '" + name + "' AND s.agent_id = '" + owner + "'"));
        as(owner).body(Map.of("name", name)).post("/internal/submolts").then().statusCode(409)
                .body("code", equalTo("CONFLICT"));
    }

    @Test
    void badSubmoltsAreRefusedAndWriteNothing() {
        UUID agent = UUID.randomUUID();
        long rows = count("SELECT count(*) FROM submolt");
        long events = count("SELECT count(*) FROM outbox");
        for (String bad : new String[] {"A", "Upper", "has space", "x".repeat(31), "all", "mod", "under_score"}) {
            as(agent).body(Map.of("name", bad)).post("/internal/submolts").then().statusCode(400)
                    .body("success", equalTo(false));
        }
        as(agent).body(Map.of("name", unique("d-"), "description", "d".repeat(501))).post("/internal/submolts")
                .then().statusCode(400);
        as(agent).body("{\"name\":").post("/internal/submolts").then().statusCode(400);
        internal()
                .body(Map.of("name", unique("a-"))).post("/internal/submolts").then().statusCode(401);
        assertEquals(rows, count("SELECT count(*) FROM submolt"));
        assertEquals(events, count("SELECT count(*) FROM outbox"));
    }

    @Test
    void anAgentYoungerThanADayCreatesOneSubmoltOnly() throws Exception {
        UUID young = knownAgent(unique("young_"), Duration.ofHours(1));
        create(young);
        as(young).body(Map.of("name", unique("s-"))).post("/internal/submolts").then().statusCode(429)
                .body("code", equalTo("RATE_LIMITED"));
        UUID old = knownAgent(unique("old_"), Duration.ofDays(3));
        create(old);
        create(old);
    }

    @Test
    void anAgentNoHumanClaimedCreatesOneSubmoltOnlyHoweverOld() throws Exception {
        UUID unclaimed = knownAgent(unique("lone_"), Duration.ofDays(3), false);
        create(unclaimed);
        as(unclaimed).body(Map.of("name", unique("s-"))).post("/internal/submolts").then().statusCode(429)
                .body("code", equalTo("RATE_LIMITED"));
    }

    @Test
    void subscribingIsIdempotent() throws Exception {
        UUID agent = UUID.randomUUID();
        long events = count("SELECT count(*) FROM outbox");
        as(agent).post("/internal/submolts/general/subscribe").then().statusCode(200).body("action", equalTo("subscribed"));
        as(agent).post("/internal/submolts/general/subscribe").then().statusCode(200);
        assertEquals(events + 1, count("SELECT count(*) FROM outbox"));
        as(agent).delete("/internal/submolts/general/subscribe").then().statusCode(200).body("action", equalTo("unsubscribed"));
        as(agent).delete("/internal/submolts/general/subscribe").then().statusCode(200);
        assertEquals(events + 2, count("SELECT count(*) FROM outbox"));
        as(agent).post("/internal/submolts/no-such-submolt/subscribe").then().statusCode(404);
    }

    @Test
    void onlyTheOwnerOrAModeratorChangesSettingsAndOnlyTheOwnerNamesModerators() throws Exception {
        UUID owner = knownAgent(unique("own_"), Duration.ofDays(2));
        String modName = unique("mod_");
        UUID mod = knownAgent(modName, Duration.ofDays(2));
        String strangerName = unique("str_");
        UUID stranger = knownAgent(strangerName, Duration.ofDays(2));
        String s = create(owner);
        String path = "/internal/submolts/" + s;

        as(stranger).body(Map.of("description", "mine now")).patch(path + "/settings").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
        as(stranger).body(Map.of("agent_name", strangerName)).post(path + "/moderators").then().statusCode(403);
        as(owner).body(Map.of("agent_name", modName)).post(path + "/moderators").then().statusCode(200);
        as(mod).body(Map.of("agent_name", strangerName)).post(path + "/moderators").then().statusCode(403);
        as(mod).body(Map.of("description", "by the mod", "banner_color", "#0a3d62")).patch(path + "/settings")
                .then().statusCode(200);
        as(owner).body(Map.of("theme_color", "#38ada9")).patch(path + "/settings").then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM submolt WHERE name = '" + s + "' AND description = 'by the mod'"
                + " AND banner_color = '#0a3d62' AND theme_color = '#38ada9'"));

        long events = count("SELECT count(*) FROM outbox");
        as(owner).body(Map.of("banner_color", "red")).patch(path + "/settings").then().statusCode(400);
        as(owner).body("{}").patch(path + "/settings").then().statusCode(400);
        as(owner).body(Map.of("agent_name", "nobody_known_zz")).post(path + "/moderators").then().statusCode(404);
        as(owner).body(Map.of("description", "x")).patch("/internal/submolts/no-such-one/settings").then().statusCode(404);
        assertEquals(events, count("SELECT count(*) FROM outbox"));

        as(mod).body(Map.of("agent_name", modName)).delete(path + "/moderators").then().statusCode(403);
        as(owner).body(Map.of("agent_name", modName)).delete(path + "/moderators").then().statusCode(200);
        as(mod).body(Map.of("description", "again")).patch(path + "/settings").then().statusCode(403);
        as(owner).body(Map.of("agent_name", modName)).delete(path + "/moderators").then().statusCode(404);
    }

    @Test
    void aModeratorIsFoundByTheNameRuleIdentityUsesSoALookAlikeNamesTheSameAgent() throws Exception {
        UUID owner = knownAgent(unique("own_"), Duration.ofDays(2));
        String modName = unique("mod_");
        UUID mod = knownAgent(modName, Duration.ofDays(2));
        String path = "/internal/submolts/" + create(owner);
        String lookAlike = modName.toUpperCase(java.util.Locale.ROOT).replace('O', '0');

        as(owner).body(Map.of("agent_name", lookAlike)).post(path + "/moderators").then().statusCode(200);
        as(mod).body(Map.of("description", "moderated")).patch(path + "/settings").then().statusCode(200);
    }
}
