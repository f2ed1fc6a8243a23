package dev.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

import org.junit.jupiter.api.Test;

import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.testing.InternalApi;
import dev.shoal.testing.SharedInfra;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The gateway's own refusals. Keys come from events on the real log, as identity-service would write them; the
 * services behind the gateway are addressed at a port nothing listens on (the end-to-end tests run everything), so an
 * admitted call is one that gets past authentication and rate limiting to a 503.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = "database", value = "gateway"),
                @ResourceArg(name = "unreachableServices", value = "true")})
class GatewayRefusalsTest {
    static final ApiKeyHasher HASHER = new ApiKeyHasher("test-hmac-secret-of-enough-length");


    static void publish(ShoalEvent e) {
        TestLog.publish(e);
    }

    /** Registers an agent on the log and waits until the gateway admits its key. */
    String knownKey(UUID agent, UUID keyId) throws InterruptedException {
        String key = ApiKeyHasher.newKey();
        publish(new AgentRegistered(agent, "gw_" + agent.toString().substring(0, 8), "x", "d", keyId, HASHER.hash(key),
                "c", "reef-AAAA"));
        awaitStatus(key, 503);
        return key;
    }

    static void awaitStatus(String key, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (given().header("Authorization", "Bearer " + key).get("/api/v1/agents/status").statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway never answered " + status);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void callsWithoutAWorkingKeyAreRefused() throws Exception {
        given().get("/api/v1/agents/me").then().statusCode(401).body("success", equalTo(false))
                .body("code", equalTo("UNAUTHORIZED")).body("error", equalTo("Missing API key"))
                .body("hint", notNullValue());
        given().header("Authorization", "Basic abc").get("/api/v1/agents/me").then().statusCode(401);
        given().header("Authorization", "Bearer moltbook_wrong").get("/api/v1/agents/me").then().statusCode(401)
                .body("error", equalTo("Invalid API key"));
        given().header("Authorization", "Bearer " + ApiKeyHasher.newKey()).get("/api/v1/agents/me").then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + ApiKeyHasher.newKey()).post("/api/v1/agents/someone/follow")
                .then().statusCode(401);
    }

    @Test
    void aRevokedKeyIsRefusedWithinASecond() throws Exception {
        UUID agent = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        String key = knownKey(agent, keyId);
        publish(new ApiKeyRevoked(agent, keyId));
        long start = System.nanoTime();
        awaitStatus(key, 401);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (millis > 1000) {
            throw new AssertionError("a revoked key still worked for " + millis + " ms");
        }
    }

    /**
     * The attack the security review found: an attacker who knows its own key's hash writes a rotation naming a
     * victim. The broker refuses the write without a login, with a wrong password and as another service; a record
     * that reached the topic anyway (the super user wrote it, naming post-service as its source) is refused by the
     * projection, counted, and the attacker's key never works.
     */
    @Test
    void aForgedRotationNeverMakesAKeyWork() throws Exception {
        UUID victim = UUID.randomUUID();
        UUID victimKeyId = UUID.randomUUID();
        String victimKey = knownKey(victim, victimKeyId);
        String attackerKey = ApiKeyHasher.newKey();
        ApiKeyRotated forged = new ApiKeyRotated(victim, victimKeyId, UUID.randomUUID(), HASHER.hash(attackerKey));
        SharedInfra infra = SharedInfra.get();
        assertThrows(org.apache.kafka.common.errors.TimeoutException.class, () -> TestLog.publishAs(
                Map.of("bootstrap.servers", infra.bootstrapServers()), Topic.IDENTITY.owner(), forged));
        Map<String, Object> wrongPassword = new HashMap<>(infra.kafkaAs("identity-service"));
        wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"identity-service\" password=\"guessed\";");
        assertThrows(SaslAuthenticationException.class, () -> TestLog.publishAs(wrongPassword,
                Topic.IDENTITY.owner(), forged));
        assertThrows(TopicAuthorizationException.class, () -> TestLog.publishAs(infra.kafkaAs("post-service"),
                Topic.IDENTITY.owner(), forged));
        assertThrows(TopicAuthorizationException.class, () -> TestLog.publishAs(infra.kafkaAs("gateway"),
                Topic.IDENTITY.owner(), forged));

        long refusedBefore = refusedByCredentials();
        TestLog.publishAs(infra.kafkaAdmin(), "post-service", forged);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (refusedByCredentials() == refusedBefore) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the credential projection never refused the forged rotation");
            }
            Thread.sleep(50);
        }
        given().header("Authorization", "Bearer " + attackerKey).get("/api/v1/agents/status").then().statusCode(401);
        given().header("Authorization", "Bearer " + victimKey).get("/api/v1/agents/status").then().statusCode(503);
    }

    private static long refusedByCredentials() {
        return InternalApi.asOperator().get("/internal/projections").then().statusCode(200).extract().jsonPath()
                .getLong("projections.find { it.projection == 'credentials' }.foreignEvents");
    }

    @Test
    void eachKeyHasItsOwnBudgetAndA429SaysWhenToComeBack() throws Exception {
        String key = knownKey(UUID.randomUUID(), UUID.randomUUID());
        // knownKey spent one call; the test profile allows 5 per minute
        for (int i = 0; i < 4; i++) {
            given().header("Authorization", "Bearer " + key).get("/api/v1/agents/me").then().statusCode(503)
                    .header("X-RateLimit-Limit", "5").header("X-RateLimit-Remaining", String.valueOf(3 - i));
        }
        given().header("Authorization", "Bearer " + key).get("/api/v1/agents/me").then().statusCode(429)
                .header("Retry-After", notNullValue()).header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Reset", notNullValue())
                .body("code", equalTo("RATE_LIMITED")).body("retryAfter", notNullValue());
        String other = knownKey(UUID.randomUUID(), UUID.randomUUID());
        given().header("Authorization", "Bearer " + other).get("/api/v1/agents/me").then().statusCode(503);
    }

    @Test
    void registrationsAreLimitedPerSourceAddress() {
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json").body("{\"name\":\"n" + i + "_abc\"}").post("/api/v1/agents/register")
                    .then().statusCode(503);
        }
        given().contentType("application/json").body("{\"name\":\"n9_abc\"}").post("/api/v1/agents/register")
                .then().statusCode(429).header("Retry-After", notNullValue()).body("code", equalTo("RATE_LIMITED"));
    }

    @Test
    void bodiesOverOneMegabyteAreRefusedBeforeAnythingElse() {
        String big = "{\"description\":\"" + "x".repeat(1_100_000) + "\"}";
        given().contentType("application/json").body(big).patch("/api/v1/agents/me").then().statusCode(413)
                .body("success", equalTo(false)).body("error", equalTo("Request body too large"));
    }

    @Test
    void unknownPathsAndTheInternalApiAnswer404InShoalsFormat() {
        given().get("/api/v1/nothing-here").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        given().get("/internal/projections").then().statusCode(404);
    }

    @Test
    void healthAndOpenApiAreServed() {
        given().get("/api/v1/health").then().statusCode(200).body("status", equalTo("healthy"));
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/agents/register'.post", notNullValue());
    }
}
