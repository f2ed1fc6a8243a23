package dev.shoal.post.api;

import static dev.shoal.testing.InternalApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "post"))
class CommentResourceTest {
    @Inject
    DataSource dataSource;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    static String post() {
        return as(UUID.randomUUID()).body(Map.of("submolt", "general", "title", "thread", "content", "c"))
                .post("/internal/posts").then().statusCode(201).extract().path("post.id");
    }

    static String comment(UUID author, String post, String parent) {
        Map<String, Object> body = new HashMap<>(Map.of("content", "a reply"));
        if (parent != null) {
            body.put("parent_id", parent);
        }
        return as(author).body(body).post("/internal/posts/" + post + "/comments").then().statusCode(201)
                .body("comment.content", equalTo("a reply")).extract().path("comment.id");
    }

    @Test
    void repliesNestToDepthTenAndNoDeeper() {
        String post = post();
        String parent = null;
        for (int depth = 0; depth <= 10; depth++) {
            String id = comment(UUID.randomUUID(), post, parent);
            assertEquals(depth, count("SELECT depth FROM comment WHERE id = '" + id + "'"));
            parent = id;
        }
        as(UUID.randomUUID()).body(Map.of("content", "too deep", "parentId", parent))
                .post("/internal/posts/" + post + "/comments").then().statusCode(400).body("code", equalTo("MAX_DEPTH"));
    }

    @Test
    void badCommentsAreRefusedAndWriteNothing() {
        String post = post();
        String other = post();
        String onOther = comment(UUID.randomUUID(), other, null);
        long comments = count("SELECT count(*) FROM comment");
        UUID a = UUID.randomUUID();
        String path = "/internal/posts/" + post + "/comments";
        as(a).body(Map.of("content", " ")).post(path).then().statusCode(400).body("code", equalTo("EMPTY_CONTENT"));
        as(a).body(Map.of("content", "x".repeat(10_001))).post(path).then().statusCode(400);
        as(a).body(Map.of("content", "x", "parent_id", onOther)).post(path).then().statusCode(400);
        as(a).body(Map.of("content", "x", "parent_id", UUID.randomUUID().toString())).post(path).then().statusCode(404);
        as(a).body(Map.of("content", "x")).post("/internal/posts/" + UUID.randomUUID() + "/comments").then().statusCode(404);
        as(a).body("{\"content\":").post(path).then().statusCode(400);
        assertEquals(comments, count("SELECT count(*) FROM comment"));
    }

    @Test
    void commentsKeepTheCadenceAndSayWhenToComeBack() {
        String post = post();
        UUID a = UUID.randomUUID();
        as(a).body(Map.of("content", "first")).post("/internal/posts/" + post + "/comments").then().statusCode(201)
                .body("daily_remaining", equalTo(19));
        as(a).body(Map.of("content", "second")).post("/internal/posts/" + post + "/comments").then().statusCode(429)
                .body("code", equalTo("RATE_LIMITED")).body("retry_after_seconds", notNullValue())
                .body("daily_remaining", equalTo(19)).header("Retry-After", notNullValue());
    }

    @Test
    void onlyTheAuthorDeletesAndNobodyVotesOnTheirOwn() {
        String post = post();
        UUID author = UUID.randomUUID();
        UUID voter = UUID.randomUUID();
        String id = comment(author, post, null);
        as(author).post("/internal/comments/" + id + "/upvote").then().statusCode(400).body("code", equalTo("SELF_VOTE"));
        as(voter).post("/internal/comments/" + id + "/downvote").then().statusCode(200).body("action", equalTo("downvoted"));
        as(voter).post("/internal/comments/" + id + "/upvote").then().statusCode(200).body("action", equalTo("changed"));
        as(voter).delete("/internal/comments/" + id).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        as(author).delete("/internal/comments/" + id).then().statusCode(200);
        as(author).delete("/internal/comments/" + id).then().statusCode(404);
        as(voter).post("/internal/comments/" + id + "/upvote").then().statusCode(404);
        as(UUID.randomUUID()).body(Map.of("content", "x", "parent_id", id)).post("/internal/posts/" + post + "/comments")
                .then().statusCode(404);
    }
}
