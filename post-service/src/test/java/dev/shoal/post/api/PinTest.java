package dev.shoal.post.api;

import static dev.shoal.testing.InternalApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
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
class PinTest {
    @Inject
    DataSource dataSource;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    @Test
    void theOwnerPinsUpToThreePostsAndNobodyElsePinsAtAll() {
        UUID owner = UUID.randomUUID();
        String submolt = "pins-" + owner.toString().substring(0, 8);
        as(owner).body(Map.of("name", submolt)).post("/internal/submolts").then().statusCode(201);
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            posts.add(as(UUID.randomUUID()).body(Map.of("submolt", submolt, "title", "p" + i, "content", "c"))
                    .post("/internal/posts").then().statusCode(201).extract().path("post.id"));
        }
        UUID stranger = UUID.randomUUID();
        as(stranger).post("/internal/posts/" + posts.get(0) + "/pin").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        for (int i = 0; i < 3; i++) {
            as(owner).post("/internal/posts/" + posts.get(i) + "/pin").then().statusCode(200).body("action", equalTo("pinned"));
        }
        long events = count("SELECT count(*) FROM outbox");
        as(owner).post("/internal/posts/" + posts.get(0) + "/pin").then().statusCode(200);
        assertEquals(events, count("SELECT count(*) FROM outbox"), "pinning again changes nothing");
        as(owner).post("/internal/posts/" + posts.get(3) + "/pin").then().statusCode(409).body("code", equalTo("CONFLICT"));
        as(stranger).delete("/internal/posts/" + posts.get(0) + "/pin").then().statusCode(403);
        as(owner).delete("/internal/posts/" + posts.get(0) + "/pin").then().statusCode(200).body("action", equalTo("unpinned"));
        as(owner).post("/internal/posts/" + posts.get(3) + "/pin").then().statusCode(200);
        assertEquals(3, count("SELECT count(*) FROM pin p JOIN submolt s ON s.id = p.submolt_id WHERE s.name = '" + submolt + "'"));
        as(owner).post("/internal/posts/" + UUID.randomUUID() + "/pin").then().statusCode(404);
    }
}
