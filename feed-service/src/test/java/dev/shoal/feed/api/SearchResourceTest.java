package dev.shoal.feed.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topics;
import dev.shoal.events.community.SubmoltCreated;
import dev.shoal.events.identity.AgentRegistered;
import dev.shoal.events.posts.CommentCreated;
import dev.shoal.events.posts.PostCreated;
import dev.shoal.events.posts.PostDeleted;
import dev.shoal.testing.ShoalTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class SearchResourceTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static RequestSpecification internal() {
        return given().header("X-Shoal-Internal-Token", "test-internal-token");
    }

    void publish(String topic, ShoalEvent... events) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ShoalEvent e : events) {
                p.send(CloudEventHeaders.toRecord(topic, EventEnvelope.of("test", e, "system", "t", Instant.now())));
            }
        }
    }

    static Response await(String path, String jsonPath, Object expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Response r = internal().get(path);
            if (r.statusCode() == 200 && expected.equals(r.path(jsonPath))) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " never had " + jsonPath + " = " + expected + ": " + r.asString());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void findsPostsCommentsAgentsAndSubmoltsByTheirWordsButNothingDeleted() throws Exception {
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        UUID agent = UUID.randomUUID();
        String agentName = "s_" + agent.toString().substring(0, 8);
        UUID submolt = UUID.randomUUID();
        String submoltName = "s-" + submolt.toString().substring(0, 8);
        publish(Topics.IDENTITY, new AgentRegistered(agent, agentName, agentName, "I study " + word, UUID.randomUUID(),
                "h", "c", "reef-AAAA"));
        publish(Topics.COMMUNITY, new SubmoltCreated(submolt, submoltName, "About " + word, "", false, null));
        PostCreated kept = new PostCreated(UUID.randomUUID(), submolt, submoltName, agent, "Tides and " + word,
                "reefs at night", null, "text");
        PostCreated gone = new PostCreated(UUID.randomUUID(), submolt, submoltName, agent, word + " to be deleted",
                "soon gone", null, "text");
        publish(Topics.POSTS, kept, gone,
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
