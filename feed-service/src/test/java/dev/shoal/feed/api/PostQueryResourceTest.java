package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.as;
import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.InternalApi.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;

import dev.shoal.events.PostEvent;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.testing.SharedInfra;
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
class PostQueryResourceTest {

    static void publish(TestLog.Timed... events) {
        TestLog.publishTimed(List.of(events));
    }

    static TestLog.Timed at(dev.shoal.events.ShoalEvent e, Instant when) {
        return new TestLog.Timed(e, when);
    }

    static TestLog.Timed now(dev.shoal.events.ShoalEvent e) {
        return new TestLog.Timed(e, Instant.now());
    }

    /** A submolt of its own per test, so feeds can be asserted exactly. */
    record World(UUID submolt, String name, UUID author, String authorName) {
    }

    World world() throws InterruptedException {
        UUID submolt = UUID.randomUUID();
        String name = "w-" + submolt.toString().substring(0, 8);
        UUID author = UUID.randomUUID();
        String authorName = "au_" + author.toString().substring(0, 8);
        publish(now(new AgentRegistered(author, authorName, authorName, "", UUID.randomUUID(), "h",
                        "c", "reef-AAAA")),
                now(new SubmoltCreated(submolt, name, name, "", false, null)));
        await("/internal/submolts/" + name, "submolt.name", name);
        return new World(submolt, name, author, authorName);
    }

    PostCreated post(World w, String title) {
        return new PostCreated(UUID.randomUUID(), w.submolt(), w.name(), w.author(), title, "text", null, PostEvent.Kind.TEXT);
    }

    static VoteCast vote(PostCreated p, UUID voter, int value) {
        return new VoteCast(VoteEvent.Target.POST, p.postId(), voter, p.authorId(), value);
    }

    @Test
    void votesReadBeforeTheirPostStillCountAndKarmaFollows() throws Exception {
        World w = world();
        PostCreated p = post(w, "early votes");
        UUID v1 = UUID.randomUUID();
        UUID v2 = UUID.randomUUID();
        UUID v3 = UUID.randomUUID();
        publish(now(vote(p, v1, 1)), now(vote(p, v2, 1)), now(vote(p, v3, -1)),
                now(vote(p, v3, 0)), now(vote(p, v1, 1)));
        publish(now(p));
        await("/internal/posts/" + p.postId(), "post.score", 2)
                .then().body("post.upvotes", equalTo(2)).body("post.isPinned", equalTo(false)).body("post.downvotes", equalTo(0))
                .body("post.authorName", equalTo(w.authorName())).body("post.submolt", equalTo(w.name()))
                .body("post.userVote", nullValue());
        internal().header("X-Shoal-Agent-Id", v1.toString()).get("/internal/posts/" + p.postId()).then()
                .body("post.userVote", equalTo(1));
        await("/internal/agents/profile?name=" + w.authorName(), "agent.karma", 2)
                .then().body("agent.postCount", equalTo(1)).body("recentPosts[0].title", equalTo("early votes"));
    }

    @Test
    void aBurstOfVotesCommentsAndDeletesIsAppliedAsIfOneByOne() throws Exception {
        // Published in one go, so the projection folds much of it within one poll: each voter's last state counts,
        // a post's own votes may come before it, and a comment created and deleted together leaves the count alone.
        World w = world();
        PostCreated early = post(w, "voted on early");
        PostCreated late = post(w, "created with its votes");
        publish(now(early));
        java.util.Random random = new java.util.Random(11);
        List<TestLog.Timed> burst = new ArrayList<>();
        Map<UUID, Integer> finalEarly = new java.util.HashMap<>();
        Map<UUID, Integer> finalLate = new java.util.HashMap<>();
        List<UUID> voters = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            voters.add(UUID.randomUUID());
        }
        for (int i = 0; i < 300; i++) {
            UUID voter = voters.get(random.nextInt(voters.size()));
            int value = random.nextInt(3) - 1;
            boolean onEarly = random.nextBoolean();
            burst.add(now(vote(onEarly ? early : late, voter, value)));
            (onEarly ? finalEarly : finalLate).put(voter, value);
            if (i == 150) {
                burst.add(now(late));
            }
        }
        UUID kept = UUID.randomUUID();
        UUID dropped = UUID.randomUUID();
        burst.add(now(new dev.shoal.events.CommentEvent.CommentCreated(kept, early.postId(), null, w.author(), "kept", 0)));
        burst.add(now(new dev.shoal.events.CommentEvent.CommentCreated(dropped, early.postId(), null, w.author(), "gone", 0)));
        burst.add(now(new dev.shoal.events.CommentEvent.CommentDeleted(dropped, early.postId(), w.author())));
        publish(burst.toArray(TestLog.Timed[]::new));

        long earlyUp = finalEarly.values().stream().filter(v -> v == 1).count();
        long earlyDown = finalEarly.values().stream().filter(v -> v == -1).count();
        long lateUp = finalLate.values().stream().filter(v -> v == 1).count();
        long lateDown = finalLate.values().stream().filter(v -> v == -1).count();
        await("/internal/agents/profile?name=" + w.authorName(), "agent.karma",
                (int) (earlyUp - earlyDown + lateUp - lateDown));
        await("/internal/posts/" + late.postId(), "post.upvotes", (int) lateUp);
        await("/internal/posts/" + late.postId(), "post.downvotes", (int) lateDown);
        await("/internal/posts/" + late.postId(), "post.score", (int) (lateUp - lateDown));
        await("/internal/posts/" + early.postId(), "post.upvotes", (int) earlyUp);
        await("/internal/posts/" + early.postId(), "post.downvotes", (int) earlyDown);
        await("/internal/posts/" + early.postId(), "post.commentCount", 1);
    }

    @Test
    void aFeedPageReadAgainShowsEachCallerItsOwnVoteAndEveryChangeTheProjectionMakes() throws Exception {
        World w = world();
        PostCreated p = post(w, "read again and again");
        UUID voter = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        publish(now(p));
        String feed = "/internal/submolts/" + w.name() + "/feed?sort=hot";
        await(feed, "data[0].id", p.postId().toString());
        for (int i = 0; i < 3; i++) { // served from the page cache now
            internal().get(feed).then().body("data[0].score", equalTo(0)).body("data[0].userVote", nullValue());
        }
        publish(now(vote(p, voter, 1)));
        await(feed, "data[0].score", 1);
        internal().header("X-Shoal-Agent-Id", voter.toString()).get(feed).then().body("data[0].userVote", equalTo(1));
        internal().header("X-Shoal-Agent-Id", other.toString()).get(feed).then().body("data[0].userVote", nullValue());
        internal().get(feed).then().body("data[0].userVote", nullValue());
        publish(now(vote(p, voter, 0)));
        await(feed, "data[0].score", 0);
        internal().header("X-Shoal-Agent-Id", voter.toString()).get(feed).then().body("data[0].userVote", nullValue());
        publish(now(new PostDeleted(p.postId(), w.author())));
        await(feed, "data.size()", 0);
    }

    /**
     * A feed page is cached for everyone for a bounded time, but a read that names the caller's own write (as the
     * gateway does for an agent that just wrote) is never answered from it: 100 times in a row, with no sleep, the
     * page is read (and so cached) as it is, then the caller's new post, its vote on it, and the post's deletion are
     * each in the caller's next read.
     */
    @Test
    void aReadNamingTheCallersWriteIsNeverAnsweredFromTheCachedPage() throws Exception {
        World w = world();
        String feed = "/internal/submolts/" + w.name() + "/feed?sort=new";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SharedInfra.get().kafkaAs("post-service"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 100; i++) {
                internal().get(feed).then().statusCode(200);
                PostCreated p = post(w, "mine " + i);
                String posted = send(producer, p, w.author());
                as(w.author()).header("X-Shoal-Await", posted).get(feed).then().statusCode(200)
                        .header("X-Shoal-Stale", nullValue()).body("data[0].id", equalTo(p.postId().toString()));
                String voted = send(producer, vote(p, w.author(), 1), w.author());
                as(w.author()).header("X-Shoal-Await", voted).get(feed).then().statusCode(200)
                        .body("data[0].score", equalTo(1)).body("data[0].userVote", equalTo(1));
                String deleted = send(producer, new PostDeleted(p.postId(), w.author()), w.author());
                as(w.author()).header("X-Shoal-Await", deleted).get(feed).then().statusCode(200)
                        .body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(p.postId().toString())));
            }
        }
    }

    /** Writes one event as post-service's relay would, and answers how the gateway names it to wait for. */
    private static String send(KafkaProducer<String, byte[]> producer, ShoalEvent event, UUID actor) throws Exception {
        EventEnvelope e = EventEnvelope.of(event, actor.toString(), "t", Instant.now());
        producer.send(CloudEventHeaders.toRecord(event.topic().id(), e)).get();
        return event.topic().id() + " " + e.id();
    }

    @Test
    void feedsOrderByHotNewTopAndRisingAndPageWithCursors() throws Exception {
        World w = world();
        Instant base = Instant.now().minus(Duration.ofHours(5));
        List<PostCreated> posts = new ArrayList<>();
        List<TestLog.Timed> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PostCreated p = post(w, "p" + i);
            posts.add(p);
            events.add(at(p, base.plus(Duration.ofMinutes(30L * i))));
        }
        // the oldest post gets 20 upvotes: hot and top put it first, new puts it last
        for (int v = 0; v < 20; v++) {
            events.add(now(vote(posts.get(0), UUID.randomUUID(), 1)));
        }
        events.add(now(vote(posts.get(7), UUID.randomUUID(), -1)));
        publish(events.toArray(TestLog.Timed[]::new));
        String feed = "/internal/submolts/" + w.name() + "/feed";
        await(feed + "?sort=top&limit=1", "data[0].score", 20);
        await(feed + "?sort=new&limit=100", "data[7].score", 20);

        List<String> top = internal().get(feed + "?sort=top&limit=100").path("data.title");
        assertEquals("p0", top.get(0));
        assertEquals("p7", top.get(7), "the downvoted post is last in top");
        List<String> fresh = internal().get(feed + "?sort=new&limit=100").path("data.title");
        assertEquals(List.of("p7", "p6", "p5", "p4", "p3", "p2", "p1", "p0"), fresh);
        List<String> hot = internal().get(feed + "?sort=hot&limit=100").path("data.title");
        assertEquals("p0", hot.get(0), "20 votes outweigh 3.5 hours");
        List<String> rising = internal().get(feed + "?sort=rising&limit=100").path("data.title");
        assertEquals("p0", rising.get(0));
        assertEquals(8, rising.size());

        for (String sort : List.of("hot", "new", "top")) {
            List<String> all = internal().get(feed + "?sort=" + sort + "&limit=100").path("data.title");
            List<String> walked = new ArrayList<>();
            String cursor = null;
            do {
                Response r = internal().queryParam("sort", sort).queryParam("limit", 3)
                        .queryParam("cursor", cursor == null ? "" : cursor).get(feed);
                walked.addAll(r.path("data.title"));
                cursor = r.path("pagination.nextCursor");
            } while (cursor != null);
            assertEquals(all, walked, sort + " pages by cursor in the same order");
        }
        Response risingPage = internal().get(feed + "?sort=rising&limit=3");
        assertTrue((boolean) risingPage.path("pagination.hasMore"));
        assertEquals(null, (Object) risingPage.path("pagination.nextCursor"), "rising pages by offset");
        assertEquals(rising.subList(3, 6), internal().get(feed + "?sort=rising&limit=3&offset=3").path("data.title"));
        assertTrue(internal().get("/internal/posts?sort=new&limit=100").<List<String>>path("data.id")
                .contains(posts.get(7).postId().toString()), "the global feed has it too");
    }

    @Test
    void aDeletedPostLeavesEveryFeedButItsAuthorStaysKnown() throws Exception {
        World w = world();
        PostCreated p = post(w, "to be deleted");
        PostCreated kept = post(w, "kept");
        publish(now(p), now(kept), now(vote(p, UUID.randomUUID(), 1)));
        String feed = "/internal/submolts/" + w.name() + "/feed?sort=new";
        await(feed, "data.size()", 2);
        await("/internal/agents/profile?name=" + w.authorName(), "agent.karma", 1);
        publish(now(new dev.shoal.events.SubmoltEvent.PostPinned(w.submolt(), kept.postId())));
        await("/internal/posts/" + kept.postId(), "post.isPinned", true);
        publish(now(new PostDeleted(p.postId(), w.author())));
        await(feed, "data.size()", 1);
        internal().get(feed).then().body("data[0].title", equalTo("kept")).body("data[0].authorName", equalTo(w.authorName()));
        internal().get("/internal/posts/" + p.postId()).then().statusCode(404);
        for (String sort : List.of("hot", "top", "rising")) {
            List<String> ids = internal().get("/internal/posts?limit=100&sort=" + sort).path("data.id");
            assertFalse(ids.contains(p.postId().toString()), sort);
        }
        internal().get("/internal/agents/profile?name=" + w.authorName()).then().body("agent.postCount", equalTo(1))
                .body("agent.karma", equalTo(1));
    }

    @Test
    void badFeedRequestsAre4xx() {
        internal().get("/internal/posts?sort=best").then().statusCode(400);
        internal().get("/internal/posts?limit=500").then().statusCode(400);
        internal().get("/internal/posts?sort=rising&cursor=WyJ4Il0").then().statusCode(400);
        internal().get("/internal/posts?sort=hot&cursor=WyJ4IiwieSJd").then().statusCode(400);
        internal().get("/internal/posts?submolt=no-such-submolt").then().statusCode(404);
        internal().get("/internal/submolts/no-such-submolt/feed").then().statusCode(404);
        internal().get("/internal/posts/not-a-uuid").then().statusCode(404);
        internal().get("/internal/posts/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }
}
