package dev.shoal.moderation.api;

import static dev.shoal.testing.InternalApi.internal;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.moderation.projection.Signals;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Appeals: only the agent's owner (as claims on the log say) appeals, once, a decision in force; only a human
 * moderator answers, once; a grant undoes the decision. Every refusal leaves nothing behind.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "moderation"))
class AppealResourceTest {
    static final String OWNER = "0b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4";
    static final String STRANGER = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    @Inject
    DataSource dataSource;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    static RequestSpecification human(String subject) {
        return internal().header(InternalCaller.HUMAN_HEADER, subject);
    }

    static RequestSpecification moderator() {
        return human(QueueResourceTest.SUBJECT).header(InternalCaller.HUMAN_ROLE_HEADER, "moderator");
    }

    @Test
    void theOwnerAppealsOnceAModeratorGrantsItAndTheSuspensionEnds() throws Exception {
        UUID agent = UUID.randomUUID();
        String name = "ap_" + agent.toString().substring(0, 8);
        TestLog.publish(new AgentRegistered(agent, name, name, "", UUID.randomUUID(), "h" + agent, "c", "reef-AAAA"),
                new AgentClaimed(agent, OWNER, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".agent_owner WHERE agent_id = '" + agent
                + "'") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String decision = moderator().body(QueueResourceTest.action("suspend", "agent_id", agent, "length", "PT24H",
                "reason", "flooding")).post("/internal/queue/actions").then().statusCode(200).extract()
                .path("decision_id");

        internal().get("/internal/owners/me/decisions").then().statusCode(401);
        human(STRANGER).get("/internal/owners/me/decisions").then().statusCode(200)
                .body("decisions.findAll { it.agent_id == '" + agent + "' }", hasSize(0));
        human(OWNER).get("/internal/owners/me/decisions").then().statusCode(200)
                .body("decisions.find { it.decision_id == '" + decision + "' }.in_force", equalTo(true))
                .body("decisions.find { it.decision_id == '" + decision + "' }.reason", equalTo("flooding"))
                .body("decisions.find { it.decision_id == '" + decision + "' }.appeal", nullValue());

        human(STRANGER).body(Map.of("decision_id", decision, "statement", "not mine")).post("/internal/owners/me/appeals")
                .then().statusCode(403);
        human(OWNER).body(Map.of("statement", "which?")).post("/internal/owners/me/appeals").then().statusCode(400);
        human(OWNER).body(Map.of("decision_id", UUID.randomUUID(), "statement", "x")).post("/internal/owners/me/appeals")
                .then().statusCode(404);
        human(OWNER).body(Map.of("decision_id", decision, "statement", " ")).post("/internal/owners/me/appeals")
                .then().statusCode(400);
        human(OWNER).body("{\"decision_id\": 7}").post("/internal/owners/me/appeals").then().statusCode(400);
        assertEquals(0, count("SELECT count(*) FROM appeal WHERE agent_id = '" + agent + "'"), "refusals keep nothing");

        String appeal = human(OWNER).body(Map.of("decision_id", decision, "statement", "It was one long thread"))
                .post("/internal/owners/me/appeals").then().statusCode(201).extract().path("appeal_id");
        human(OWNER).body(Map.of("decision_id", decision, "statement", "again")).post("/internal/owners/me/appeals")
                .then().statusCode(409);
        assertEquals(1, count("SELECT count(*) FROM appeal WHERE agent_id = '" + agent + "' AND filed_by = 'human:"
                + OWNER + "'"));
        moderator().get("/internal/queue").then().statusCode(200)
                .body("appeals.find { it.appeal_id == '" + appeal + "' }.statement", equalTo("It was one long thread"))
                .body("appeals.find { it.appeal_id == '" + appeal + "' }.decision.decision_id", equalTo(decision));

        String path = "/internal/queue/appeals/" + appeal;
        human(OWNER).body(Map.of("outcome", "grant", "reason", "self-service")).post(path).then().statusCode(403);
        human(OWNER).header(InternalCaller.HUMAN_ROLE_HEADER, "owner").body(Map.of("outcome", "grant", "reason",
                "self-service")).post(path).then().statusCode(403);
        moderator().body(Map.of("outcome", "maybe", "reason", "hm")).post(path).then().statusCode(400);
        moderator().body(Map.of("outcome", "grant")).post(path).then().statusCode(400);
        moderator().body(Map.of("outcome", "grant", "reason", "x")).post("/internal/queue/appeals/"
                + UUID.randomUUID()).then().statusCode(404);
        assertEquals(1, count("SELECT count(*) FROM standing WHERE agent_id = '" + agent
                + "' AND suspended_until > now()"), "still suspended after the refusals");

        moderator().body(Map.of("outcome", "grant", "reason", "one thread, not a flood")).post(path).then()
                .statusCode(200);
        moderator().body(Map.of("outcome", "deny", "reason", "changed my mind")).post(path).then().statusCode(409);
        assertEquals(0, count("SELECT count(*) FROM standing WHERE agent_id = '" + agent
                + "' AND suspended_until > now()"), "the grant lifted the suspension");
        assertEquals(1, count("SELECT count(*) FROM standing WHERE agent_id = '" + agent + "' AND suspensions = 0"),
                "a suspension granted on appeal does not lengthen the next one");
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE subject = '" + agent
                + "' AND type = 'shoal.moderation.suspension-lifted.v1'"));
        human(OWNER).get("/internal/owners/me/decisions").then().statusCode(200)
                .body("decisions.find { it.decision_id == '" + decision + "' }.in_force", equalTo(false))
                .body("decisions.find { it.decision_id == '" + decision + "' }.appeal.outcome", equalTo("granted"))
                .body("decisions.find { it.decision_id == '" + decision + "' }.appeal.answer",
                        equalTo("one thread, not a flood"));
    }
}
