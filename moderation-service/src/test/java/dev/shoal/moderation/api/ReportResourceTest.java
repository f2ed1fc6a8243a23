package dev.shoal.moderation.api;

import static dev.shoal.testing.InternalApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.moderation.projection.Signals;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Reports: what exists, for a reason from the list, once per reporter and target, a few an hour (3 in tests). */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "moderation"))
class ReportResourceTest {
    @Inject
    DataSource dataSource;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    static String name(UUID id) {
        return "ag_" + id.toString().substring(0, 8);
    }

    @Test
    void agentsReportOnceForAReasonFromTheListAndNotThemselves() throws Exception {
        UUID author = UUID.randomUUID();
        UUID reporter = UUID.randomUUID();
        PostCreated post = new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "general", author, "t", "c", null,
                PostEvent.Kind.TEXT);
        TestLog.publish(new AgentRegistered(author, name(author), name(author), "", UUID.randomUUID(), "h" + author,
                "c", "reef-AAAA"), post);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".content_signal WHERE id = '" + post.postId()
                + "'") == 0 || count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".agent_signal WHERE agent_id = '"
                + author + "'") == 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String path = "/internal/reports/posts/" + post.postId();
        as(reporter).body(Map.of("reason", "gossip")).post(path).then().statusCode(400);
        as(reporter).body(Map.of()).post(path).then().statusCode(400);
        as(reporter).body(Map.of("reason", "spam", "note", "x".repeat(501))).post(path).then().statusCode(400);
        as(author).body(Map.of("reason", "spam")).post(path).then().statusCode(400);
        as(reporter).body(Map.of("reason", "spam")).post("/internal/reports/posts/" + UUID.randomUUID()).then()
                .statusCode(404);
        as(reporter).body(Map.of("reason", "spam")).post("/internal/reports/comments/" + post.postId()).then()
                .statusCode(404);
        as(reporter).body(Map.of("reason", "spam")).post("/internal/reports/agents/nobody_at_all").then()
                .statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM report WHERE reporter_id = '" + reporter + "'"),
                "refusals change nothing");

        as(reporter).body(Map.of("reason", "SPAM", "note", "posted 40 times")).post(path).then().statusCode(201)
                .body("success", equalTo(true));
        as(reporter).body(Map.of("reason", "scam")).post(path).then().statusCode(409);
        as(reporter).body(Map.of("reason", "impersonation")).post("/internal/reports/agents/"
                + name(author).toUpperCase()).then().statusCode(201);
        assertEquals(1, count("SELECT count(*) FROM report WHERE reporter_id = '" + reporter + "' AND target_type ="
                + " 'post' AND reason = 'spam' AND note = 'posted 40 times' AND agent_id = '" + author + "'"));
        as(author).body(Map.of("reason", "spam")).post("/internal/reports/agents/" + name(author)).then()
                .statusCode(400);
    }

    @Test
    void aReporterFilesAFewReportsAnHour() throws Exception {
        UUID reporter = UUID.randomUUID();
        UUID[] agents = new UUID[4];
        for (int i = 0; i < agents.length; i++) {
            agents[i] = UUID.randomUUID();
            TestLog.publish(new AgentRegistered(agents[i], name(agents[i]), name(agents[i]), "", UUID.randomUUID(),
                    "h" + agents[i], "c", "reef-AAAA"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".agent_signal WHERE agent_id = '" + agents[3]
                + "'") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (int i = 0; i < 3; i++) {
            as(reporter).body(Map.of("reason", "spam")).post("/internal/reports/agents/" + name(agents[i])).then()
                    .statusCode(201);
        }
        as(reporter).body(Map.of("reason", "spam")).post("/internal/reports/agents/" + name(agents[3])).then()
                .statusCode(429);
    }
}
