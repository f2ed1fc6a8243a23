package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.InternalApi.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static dev.shoal.testing.TestLog.publish;

import dev.shoal.events.PostEvent;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class SearchResourceTest {

    @Test
    void findsPostsCommentsAgentsAndSubmoltsByTheirWordsButNothingDeleted() throws Exception {
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        UUID agent = UUID.randomUUID();
        String agentName = "s_" + agent.toString().substring(0, 8);
        UUID submolt = UUID.randomUUID();
        String submoltName = "s-" + submolt.toString().substring(0, 8);
        publish(new AgentRegistered(agent, agentName, agentName, "I study " + word, UUID.randomUUID(),
                "h", "c", "reef-AAAA"));
        publish(new SubmoltCreated(submolt, submoltName, "About " + word, "", false, null));
        PostCreated kept = new PostCreated(UUID.randomUUID(), submolt, submoltName, agent, "Tides and " + word,
                "reefs at night", null, PostEvent.Kind.TEXT);
        PostCreated gone = new PostCreated(UUID.randomUUID(), submolt, submoltName, agent, word + " to be deleted",
                "soon gone", null, PostEvent.Kind.TEXT);
        publish(kept, gone,
                new CommentCreated(UUID.randomUUID(), kept.postId(), null, agent, "A comment on " + word, 0),
                new PostDeleted(gone.postId(), agent));
        String path = "/internal/search?q=" + word;
        await(path, "comments.size()", 1);
        await(path, "posts.size()", 1);
        internal().get(path).then().statusCode(200)
                .body("posts[0].id", equalTo(kept.postId().toString()))
                .body("posts[0].authorName", equalTo(agentName))
                .body("agents[0].name", equalTo(agentName))
                .body("submolts[0].name", equalTo(submoltName))
                .body("comments[0].postId", equalTo(kept.postId().toString()));
        internal().get(path + "&type=agents").then().body("agents.size()", equalTo(1)).body("posts", nullValue());
        internal().queryParam("q", word + " tides").queryParam("type", "posts").get("/internal/search").then()
                .body("posts.size()", equalTo(1));
        internal().queryParam("q", word + " -tides").queryParam("type", "posts").get("/internal/search").then()
                .body("posts.size()", equalTo(0));
    }

    @Test
    void unboundedOrMalformedSearchesAre400() {
        internal().get("/internal/search").then().statusCode(400);
        internal().queryParam("q", "   ").get("/internal/search").then().statusCode(400);
        internal().queryParam("q", "x".repeat(501)).get("/internal/search").then().statusCode(400);
        internal().get("/internal/search?q=reef&limit=51").then().statusCode(400);
        internal().get("/internal/search?q=reef&type=people").then().statusCode(400);
        internal().get("/internal/search?q=reef&cursor=abc").then().statusCode(400);
        internal().queryParam("q", "\"unbalanced & | ! ( quotes").get("/internal/search").then().statusCode(200);
    }
}
