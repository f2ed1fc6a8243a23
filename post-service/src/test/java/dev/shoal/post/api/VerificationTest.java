package dev.shoal.post.api;

import static dev.shoal.testing.InternalApi.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent.ChallengesRequired;
import dev.shoal.events.Topic;
import dev.shoal.post.domain.VerificationCode;
import dev.shoal.post.projection.ChallengeSecrets;
import dev.shoal.post.projection.KnownAgents;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Verification challenges through post-service's API, with a real broker and database: only an agent moderation
 * flagged is challenged; its answers are judged (wrong: 400 with a hint, the run counted; right: published, the run
 * ended; used: 409; unknown or someone else's: 404; no number: 400, nothing counted), and neither the answer nor a
 * hash of it is ever on the log.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "post"))
class VerificationTest {
    @Inject
    DataSource dataSource;
    @Inject
    ChallengeSecrets secrets;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    /** A claimed agent registered two days ago, which post-service knows; challenged until {@code until} if given. */
    UUID agent(Instant challengedUntil) throws Exception {
        UUID id = UUID.randomUUID();
        String name = "v_" + id.toString().substring(0, 8);
        Instant at = Instant.now().minus(Duration.ofDays(2));
        TestLog.publishTimed(List.of(new TestLog.Timed(new AgentRegistered(id, name, name, "", UUID.randomUUID(), "h",
                "c", "reef-AAAA"), at), new TestLog.Timed(new AgentClaimed(id, "human-" + id, null), at)));
        String known = "SELECT count(*) FROM " + KnownAgents.READ_SCHEMA + ".known_agent WHERE agent_id = '" + id
                + "' AND claimed_at IS NOT NULL";
        await(known);
        if (challengedUntil != null) {
            TestLog.publish(new ChallengesRequired(UUID.randomUUID(), id, challengedUntil, null, "moderator",
                    "a test's order", List.of()));
            await("SELECT count(*) FROM " + KnownAgents.READ_SCHEMA + ".challenge_order WHERE agent_id = '" + id
                    + "'");
        }
        return id;
    }

    void await(String sql) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(sql) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + sql);
            }
            Thread.sleep(50);
        }
    }

    ExtractableResponse<Response> postAs(UUID agent) {
        return as(agent).body(Map.of("submolt", "general", "title", "Slack water", "content", "The tide turns."))
                .post("/internal/posts").then().statusCode(201).extract();
    }

    io.restassured.response.ValidatableResponse answer(UUID agent, String code, Object answer) {
        return as(agent).body(Map.of("verification_code", code, "answer", answer)).post("/internal/verify").then();
    }

    @Test
    void anUnflaggedAgentIsNeverChallengedNorAnAgentWhoseOrderEnded() throws Exception {
        for (UUID agent : List.of(agent(null), agent(Instant.now().minusSeconds(1)))) {
            ExtractableResponse<Response> r = postAs(agent);
            assertNull(r.path("verification_required"));
            assertNull(r.path("verification"));
        }
    }

    @Test
    void aFlaggedAgentsPostWaitsForItsAnswerAndEveryWrongUsedOrStrangeAnswerIsRefused() throws Exception {
        UUID agent = agent(Instant.now().plus(Duration.ofHours(1)));
        ExtractableResponse<Response> created = postAs(agent);
        assertEquals(true, created.path("verification_required"));
        String code = created.path("verification.verification_code");
        String text = created.path("verification.challenge_text");
        assertTrue(code.startsWith("moltbook_verify_"), code);
        assertTrue(Instant.parse(created.path("verification.expires_at")).isAfter(Instant.now().plusSeconds(240)),
                "five minutes to answer");
        assertTrue(created.path("verification.instructions").toString().contains("/verify"));
        UUID challenge = VerificationCode.challengeId(code);
        String right = secrets.puzzle(challenge).answer().toPlainString();
        assertEquals(secrets.puzzle(challenge).text(), text, "the puzzle is its challenge's, every time");
        String postId = created.path("post.id");
        // Held back, it is nobody's to comment on or vote on, whoever knows its id.
        UUID other = agent(null);
        as(other).body(Map.of("content", "Too soon")).post("/internal/posts/" + postId + "/comments").then()
                .statusCode(404);
        as(other).post("/internal/posts/" + postId + "/upvote").then().statusCode(404);

        // Nobody else answers it, whatever they send; a code nobody issued is not found.
        answer(UUID.randomUUID(), code, right).statusCode(404);
        answer(agent, VerificationCode.of(UUID.randomUUID()), right).statusCode(404);
        answer(agent, "not-a-code", right).statusCode(404);
        answer(UUID.randomUUID(), code, "fifteen").statusCode(404); // unknown first, whatever the answer
        answer(agent, VerificationCode.of(UUID.randomUUID()), "fifteen").statusCode(404);
        // No number at all is bad input: refused, not counted.
        answer(agent, code, "fifteen").statusCode(400).body("error", containsString("number"));
        assertEquals(0, count("SELECT count(*) FROM verification_run WHERE agent_id = '" + agent + "'"));
        // A wrong number is counted, with a hint, and the challenge stays open.
        String wrong = new java.math.BigDecimal(right).add(java.math.BigDecimal.ONE).toPlainString();
        answer(agent, code, wrong).statusCode(400).body("code", equalTo("INCORRECT_ANSWER"))
                .body("hint", containsString("in a row: 1"));
        answer(agent, code, wrong).statusCode(400).body("hint", containsString("in a row: 2"));
        assertEquals(2, count("SELECT failures FROM verification_run WHERE agent_id = '" + agent + "'"));
        // The right one (as a number, without decimals if it has none) publishes, and ends the run.
        answer(agent, code, Double.valueOf(right)).statusCode(200).body("success", equalTo(true))
                .body("content_type", equalTo("post")).body("content_id", equalTo(postId));
        assertEquals(0, count("SELECT failures FROM verification_run WHERE agent_id = '" + agent + "'"),
                "a success ends the run of failures");
        answer(agent, code, right).statusCode(409);

        // On the log: challenged before created, then two failures and the pass; no answer nor hash anywhere.
        List<EventEnvelope> stream = TestLog.read(Topic.POSTS, postId, 5, Duration.ofSeconds(20));
        assertEquals(List.of("shoal.verification.content-challenged.v1", "shoal.post.created.v1",
                "shoal.verification.challenge-failed.v1", "shoal.verification.challenge-failed.v1",
                "shoal.verification.challenge-passed.v1"), stream.stream().map(EventEnvelope::type).toList());
        String stored = secrets.answerHash(challenge);
        assertEquals(1, count("SELECT count(*) FROM verification_challenge WHERE answer_hash = '" + stored + "'"),
                "the table keeps the keyed hash");
        for (EventEnvelope e : stream) {
            String data = new String(e.data(), StandardCharsets.UTF_8);
            assertFalse(data.contains("\"" + right + "\"") || data.contains(":" + right) || data.contains(stored),
                    "no answer nor its hash on the log: " + data);
        }
        as(other).post("/internal/posts/" + postId + "/upvote").then().statusCode(200);
    }

    @Test
    void aFlaggedAgentsCommentIsChallengedToo() throws Exception {
        UUID author = agent(null);
        String postId = postAs(author).path("post.id");
        UUID agent = agent(Instant.now().plus(Duration.ofHours(1)));
        ExtractableResponse<Response> c = as(agent).body(Map.of("content", "Agreed, the tide turns."))
                .post("/internal/posts/" + postId + "/comments").then().statusCode(201)
                .body("verification_required", equalTo(true))
                .body("verification.verification_code", startsWith("moltbook_verify_")).extract();
        String commentId = c.path("comment.id");
        as(author).body(Map.of("content", "A reply too soon", "parent_id", commentId))
                .post("/internal/posts/" + postId + "/comments").then().statusCode(404);
        as(author).post("/internal/comments/" + commentId + "/upvote").then().statusCode(404);
        UUID challenge = VerificationCode.challengeId(c.path("verification.verification_code"));
        answer(agent, c.path("verification.verification_code"), secrets.puzzle(challenge).answer().toPlainString())
                .statusCode(200).body("content_type", equalTo("comment"))
                .body("content_id", equalTo(c.path("comment.id")));
        as(author).body(Map.of("content", "Unflagged")).post("/internal/posts/" + postId + "/comments").then()
                .statusCode(201).body("verification_required", nullValue());
    }

    /** A flagged agent's submolt is nobody's to post in until its 30-second challenge is solved. */
    @Test
    void aFlaggedAgentsSubmoltOpensOnlyOnceItsChallengeIsSolved() throws Exception {
        UUID agent = agent(Instant.now().plus(Duration.ofHours(1)));
        String name = "held-" + UUID.randomUUID().toString().substring(0, 8);
        ExtractableResponse<Response> created = as(agent).body(Map.of("name", name, "display_name", "Held"))
                .post("/internal/submolts").then().statusCode(201).body("verification_required", equalTo(true))
                .extract();
        assertTrue(Instant.parse(created.path("verification.expires_at")).isBefore(Instant.now().plusSeconds(31)),
                "thirty seconds");
        String code = created.path("verification.verification_code");
        UUID challenge = VerificationCode.challengeId(code);
        UUID other = agent(null);
        as(other).body(Map.of("submolt", name, "title", "Early", "content", "too soon")).post("/internal/posts")
                .then().statusCode(404);
        as(other).post("/internal/submolts/" + name + "/subscribe").then().statusCode(404);
        answer(agent, code, secrets.puzzle(challenge).answer().toPlainString()).statusCode(200)
                .body("content_type", equalTo("submolt")).body("content_id", equalTo(created.path("submolt.id")));
        as(other).body(Map.of("submolt", name, "title", "Now", "content", "open")).post("/internal/posts")
                .then().statusCode(201);
        List<EventEnvelope> stream = TestLog.read(Topic.COMMUNITY, created.path("submolt.id"), 4,
                Duration.ofSeconds(20));
        assertEquals(List.of("shoal.submolt.challenged.v1", "shoal.submolt.created.v1", "shoal.submolt.subscribed.v1",
                "shoal.submolt.challenge-passed.v1"), stream.stream().map(EventEnvelope::type).toList());
    }
}
