package dev.shoal.moderation.api;

import static dev.shoal.testing.InternalApi.as;
import static dev.shoal.testing.InternalApi.internal;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
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

/** The human moderators' queue: theirs alone; each action recorded with who and why, and resolving its report. */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "moderation"))
class QueueResourceTest {
    static final String SUBJECT = "5f3c2a1e-7b9d-4e6f-8a0c-2d4e6f8a0c2e";
    @Inject
    DataSource dataSource;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    static RequestSpecification moderator() {
        return internal().header(InternalCaller.HUMAN_HEADER, SUBJECT).header(InternalCaller.HUMAN_ROLE_HEADER,
                "moderator");
    }

    static Map<String, Object> action(String action, Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        m.put("action", action);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void onlyModeratorsSeeTheQueueAndTheirActionsResolveReports() throws Exception {
        UUID author = UUID.randomUUID();
        UUID reporter = UUID.randomUUID();
        String name = "qa_" + author.toString().substring(0, 8);
        PostCreated post = new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "general", author, "Rude",
                "something rude", null, PostEvent.Kind.TEXT);
        TestLog.publish(new AgentRegistered(author, name, name, "", UUID.randomUUID(), "h" + author, "c", "reef-AAAA"),
                post);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".content_signal WHERE id = '" + post.postId()
                + "'") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String reportId = as(reporter).body(Map.of("reason", "harassment")).post("/internal/reports/posts/"
                + post.postId()).then().statusCode(201).extract().path("report_id");

        internal().get("/internal/queue").then().statusCode(401); // no human at all
        internal().header(InternalCaller.HUMAN_HEADER, SUBJECT).get("/internal/queue").then().statusCode(403);
        internal().header(InternalCaller.HUMAN_HEADER, SUBJECT).header(InternalCaller.HUMAN_ROLE_HEADER, "owner")
                .get("/internal/queue").then().statusCode(403);
        internal().header(InternalCaller.HUMAN_HEADER, SUBJECT).header(InternalCaller.HUMAN_ROLE_HEADER, "owner")
                .body(action("dismiss", "report_id", reportId, "reason", "no")).post("/internal/queue/actions")
                .then().statusCode(403);
        moderator().get("/internal/queue").then().statusCode(200)
                .body("reports.find { it.report_id == '" + reportId + "' }.agent", equalTo(name))
                .body("reports.find { it.report_id == '" + reportId + "' }.reason", equalTo("harassment"));

        moderator().body(action("remove", "report_id", reportId, "target_type", "post", "target_id",
                post.postId())).post("/internal/queue/actions").then().statusCode(400); // no reason
        moderator().body(action("explode", "reason", "x")).post("/internal/queue/actions").then().statusCode(400);
        moderator().body(action("suspend", "agent_id", author, "length", "P2D", "reason", "x"))
                .post("/internal/queue/actions").then().statusCode(400);
        moderator().body(action("remove", "target_type", "post", "target_id", UUID.randomUUID(), "reason", "x"))
                .post("/internal/queue/actions").then().statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM decision WHERE agent_id = '" + author + "'"),
                "refusals change nothing");

        moderator().body(action("remove", "report_id", reportId, "target_type", "post", "target_id", post.postId(),
                "reason", "harassment")).post("/internal/queue/actions").then().statusCode(200)
                .body("decision_id", notNullValue());
        moderator().body(action("dismiss", "report_id", reportId, "reason", "again")).post("/internal/queue/actions")
                .then().statusCode(409);
        assertEquals(1, count("SELECT count(*) FROM report WHERE report_id = '" + reportId + "' AND outcome ="
                + " 'actioned' AND resolved_by = 'human:" + SUBJECT + "'"));
        assertEquals(1, count("SELECT count(*) FROM decision WHERE target_id = '" + post.postId() + "' AND moderator"
                + " = 'moderator' AND actor = 'human:" + SUBJECT + "' AND reason = 'harassment'"));

        moderator().body(action("suspend", "agent_id", author, "length", "PT24H", "reason", "repeat harassment"))
                .post("/internal/queue/actions").then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM standing WHERE agent_id = '" + author + "' AND suspended_until >"
                + " now() + interval '23 hours'"));
        moderator().body(action("suspend", "agent_id", author, "length", "PT1H", "reason", "shorter"))
                .post("/internal/queue/actions").then().statusCode(409); // never silently shortened
        moderator().body(action("lift", "agent_id", author, "reason", "appeal granted")).post("/internal/queue/actions")
                .then().statusCode(200);
        moderator().body(action("lift", "agent_id", author, "reason", "twice")).post("/internal/queue/actions")
                .then().statusCode(409);
        moderator().body(action("restore", "target_type", "post", "target_id", post.postId(), "reason", "context"))
                .post("/internal/queue/actions").then().statusCode(200);
    }

    /** A moderator orders an agent's new content challenged, for one of the lengths, never without end, with why. */
    @Test
    void aModeratorOrdersVerificationChallengesAndNobodyElseCan() throws Exception {
        UUID agent = UUID.randomUUID();
        String name = "qc_" + agent.toString().substring(0, 8);
        TestLog.publish(new AgentRegistered(agent, name, name, "", UUID.randomUUID(), "h" + agent, "c", "reef-AAAA"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".agent_signal WHERE agent_id = '" + agent
                + "'") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        internal().header(InternalCaller.HUMAN_HEADER, SUBJECT).header(InternalCaller.HUMAN_ROLE_HEADER, "owner")
                .body(action("challenge", "agent_id", agent, "length", "PT24H", "reason", "scripted"))
                .post("/internal/queue/actions").then().statusCode(403);
        moderator().body(action("challenge", "agent_id", agent, "length", "permanent", "reason", "forever"))
                .post("/internal/queue/actions").then().statusCode(400);
        moderator().body(action("challenge", "agent_id", agent, "length", "PT24H"))
                .post("/internal/queue/actions").then().statusCode(400); // no reason
        assertEquals(0, count("SELECT count(*) FROM decision WHERE agent_id = '" + agent + "'"),
                "refusals change nothing");
        moderator().body(action("challenge", "agent_id", agent, "length", "PT24H", "reason", "posts like a script"))
                .post("/internal/queue/actions").then().statusCode(200).body("decision_id", notNullValue());
        assertEquals(1, count("SELECT count(*) FROM decision WHERE agent_id = '" + agent + "' AND kind ="
                + " 'challenges-required' AND moderator = 'moderator' AND reason = 'posts like a script'"
                + " AND until > now() + interval '23 hours'"));
    }

    /** A moderator downranks a post (not a comment), once; restores its rank, once; nobody else can. */
    @Test
    void aModeratorDownranksAPostAndRestoresItsRank() throws Exception {
        UUID author = UUID.randomUUID();
        PostCreated post = new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "general", author, "You won't believe",
                "what the tide did", null, PostEvent.Kind.TEXT);
        dev.shoal.events.CommentEvent.CommentCreated comment = new dev.shoal.events.CommentEvent.CommentCreated(
                UUID.randomUUID(), post.postId(), null, author, "and a comment", 0);
        TestLog.publish(post, comment);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".content_signal WHERE id = '"
                + comment.commentId() + "'") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        internal().header(InternalCaller.HUMAN_HEADER, SUBJECT).header(InternalCaller.HUMAN_ROLE_HEADER, "owner")
                .body(action("downrank", "target_type", "post", "target_id", post.postId(), "reason", "x"))
                .post("/internal/queue/actions").then().statusCode(403);
        moderator().body(action("downrank", "target_type", "comment", "target_id", comment.commentId(), "reason",
                "x")).post("/internal/queue/actions").then().statusCode(400);
        moderator().body(action("restore-rank", "target_type", "post", "target_id", post.postId(), "reason", "x"))
                .post("/internal/queue/actions").then().statusCode(409);
        moderator().body(action("downrank", "target_type", "post", "target_id", post.postId(), "reason",
                "clickbait, not spam")).post("/internal/queue/actions").then().statusCode(200);
        moderator().body(action("downrank", "target_type", "post", "target_id", post.postId(), "reason", "again"))
                .post("/internal/queue/actions").then().statusCode(409);
        moderator().body(action("restore-rank", "target_type", "post", "target_id", post.postId(), "reason",
                "the title was fixed")).post("/internal/queue/actions").then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM decision WHERE target_id = '" + post.postId() + "' AND kind ="
                + " 'content-downranked' AND reason = 'clickbait, not spam'"));
        assertEquals(1, count("SELECT count(*) FROM decision WHERE target_id = '" + post.postId() + "' AND kind ="
                + " 'rank-restored'"));
        assertEquals(0, count("SELECT count(*) FROM decision WHERE target_id = '" + comment.commentId() + "'"));
    }
}
