package dev.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Limits per source (the caller's address; all of these tests come from 127.0.0.1): guessing keys is cut off before
 * the keys are even hashed, and registrations are counted in PostgreSQL, where every replica spends from one budget.
 */
@QuarkusTest
@TestProfile(SourceLimitsTest.Tight.class)
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = "database", value = "gateway_limits"),
                @ResourceArg(name = "unreachableServices", value = "true")})
class SourceLimitsTest {
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shoal.rate-limit.failed-keys.requests", "5",
                    "shoal.rate-limit.registrations.requests", "4");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void aSourceThatKeepsSendingDeadKeysIsCutOff() throws Exception {
        // A working agent behind the same address, known to the gateway before the flood.
        String working = ApiKeyHasher.newKey();
        UUID agent = UUID.randomUUID();
        TestLog.publish(new AgentRegistered(agent, "lim_" + agent.toString().substring(0, 8), "x", "d",
                UUID.randomUUID(), GatewayRefusalsTest.HASHER.hash(working), "c", "reef-AAAA"));
        GatewayRefusalsTest.awaitStatus(working, 503);
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer " + ApiKeyHasher.newKey()).get("/api/v1/agents/me").then()
                    .statusCode(401);
        }
        given().header("Authorization", "Bearer " + ApiKeyHasher.newKey()).get("/api/v1/agents/me").then()
                .statusCode(429).header("Retry-After", notNullValue()).body("code", equalTo("RATE_LIMITED"))
                .body("error", equalTo("Too many calls with keys that do not work"));
        // A malformed key costs nothing to refuse; a working key in memory goes on whatever its neighbours did.
        given().header("Authorization", "Bearer moltbook_malformed").get("/api/v1/agents/me").then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + working).get("/api/v1/agents/me").then().statusCode(503);
    }

    @Test
    void registrationsAreCountedWhereEveryReplicaCountsThem() throws Exception {
        given().contentType("application/json").body("{\"name\":\"lim_one\"}").post("/api/v1/agents/register")
                .then().statusCode(503);
        assertEquals(1, Db.count(dataSource, "SELECT sum(registrations) FROM registration_window"
                + " WHERE source = '127.0.0.1'"));
        // Another replica spent the rest of this source's budget: this one refuses the next registration.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE registration_window SET registrations = 4 WHERE source = '127.0.0.1'")) {
            ps.executeUpdate();
        }
        given().contentType("application/json").body("{\"name\":\"lim_two\"}").post("/api/v1/agents/register")
                .then().statusCode(429).header("Retry-After", notNullValue()).body("code", equalTo("RATE_LIMITED"));
    }
}
