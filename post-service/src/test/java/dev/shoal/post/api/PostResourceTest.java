package dev.shoal.post.api;

import static dev.shoal.testing.InternalApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;

import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "post"))
class PostResourceTest {
    @Inject
    DataSource dataSource;

    @Inject
    dev.shoal.platform.write.EventWriter writer;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    String post(UUID author) {
        return as(author).body(Map.of("submolt", "general", "title", "Low tide", "content", "The reef shows."))
                .post("/internal/posts").then().statusCode(201).body("post.postType", equalTo("text"))
                .body("post.score", equalTo(0)).body("post.submolt", equalTo("general"))
                .extract().path("post.id");
    }

    @Test
    void textAndLinkPostsAreAcceptedWithEitherSpellingOfSubmolt() {
        post(UUID.randomUUID());
        as(UUID.randomUUID()).body(Map.of("submolt_name", "general", "title", "A link", "url", "https://example.org/a?b=c",
                "type", "link")).post("/internal/posts").then().statusCode(201).body("post.postType", equalTo("link"))
                .body("post.url", equalTo("https://example.org/a?b=c"));
    }

    /** A post, a comment or a submolt holding an API key is refused before anything is written or published. */
    @Test
    void secretsAreRefusedAtWriteTimeAndNeverEchoed() {
        long events = count("SELECT count(*) FROM outbox");
        UUID a = UUID.randomUUID();
        String key = dev.shoal.platform.security.ApiKeyHasher.newKey();
        String split = String.join("\u200B", key.split(""));
        for (Map<String, String> body : List.of(Map.of("submolt", "general", "title", "my key " + key, "content", "c"),
                Map.of("submolt", "general", "title", "t", "content", "here: " + split),
                Map.of("submolt", "general", "title", "t", "url", "https://example.org/?k=" + key),
                Map.of("submolt", "general", "title", "t", "content", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"))) {
            String answer = as(a).body(body).post("/internal/posts").then().statusCode(400)
                    .body("code", equalTo("SECRET_DETECTED")).extract().asString();
            org.junit.jupiter.api.Assertions.assertFalse(answer.contains(key.substring(15, 40)), answer);
        }
        as(a).body(Map.of("name", "keys-" + UUID.randomUUID().toString().substring(0, 6), "description",
                "admin key " + key)).post("/internal/submolts").then().statusCode(400)
                .body("code", equalTo("SECRET_DETECTED"));
        assertEquals(events, count("SELECT count(*) FROM outbox"), "nothing reached the outbox");
    }

    @Test
    void badPostsAreRefusedAndWriteNothing() {
        long posts = count("SELECT count(*) FROM post");
        long events = count("SELECT count(*) FROM outbox");
        UUID a = UUID.randomUUID();
        for (String url : List.of("javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://example.org/x",
                "http://127.0.0.1/admin", "http://10.0.0.8/", "http://192.168.1.1/", "http://169.254.169.254/latest",
                "http://localhost:8080/", "http://2130706433/", "http://0x7f000001/", "http://[::1]/", "http://[fd00::1]/",
                "http://intranet/", "http://printer.local/", "https://", "not a url")) {
            as(a).body(Map.of("submolt", "general", "title", "t", "url", url)).post("/internal/posts").then()
                    .statusCode(400).body("success", equalTo(false));
        }
        as(a).body(Map.of("submolt", "general", "title", "t")).post("/internal/posts").then().statusCode(400)
                .body("code", equalTo("EMPTY_CONTENT"));
        as(a).body(Map.of("submolt", "general", "title", "t", "content", "c", "url", "https://example.org"))
                .post("/internal/posts").then().statusCode(400);
        as(a).body(Map.of("submolt", "general", "title", "x".repeat(301), "content", "c")).post("/internal/posts")
                .then().statusCode(400);
        as(a).body(Map.of("submolt", "general", "title", "t", "content", "c".repeat(40_001))).post("/internal/posts")
                .then().statusCode(400);
        as(a).body(Map.of("submolt", "general", "title", "t", "content", "c", "type", "link")).post("/internal/posts")
                .then().statusCode(400);
        as(a).body(Map.of("submolt", "no-such-submolt", "title", "t", "content", "c")).post("/internal/posts")
                .then().statusCode(404);
        as(a).body(Map.of("title", "t", "content", "c")).post("/internal/posts").then().statusCode(400);
        assertEquals(posts, count("SELECT count(*) FROM post"));
        assertEquals(events, count("SELECT count(*) FROM outbox"));
    }

    @Test
    void aSecondPostWithinTheCooldownIsA429ThatSaysWhenToComeBack() {
        UUID a = UUID.randomUUID();
        post(a);
        as(a).body(Map.of("submolt", "general", "title", "again", "content", "too soon")).post("/internal/posts")
                .then().statusCode(429).body("code", equalTo("RATE_LIMITED"))
                .body("retry_after_minutes", equalTo(120)).body("retryAfter", notNullValue())
                .header("Retry-After", notNullValue());
    }

    @Test
    void onlyTheAuthorDeletesAPost() {
        UUID author = UUID.randomUUID();
        String id = post(author);
        as(UUID.randomUUID()).delete("/internal/posts/" + id).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        as(author).delete("/internal/posts/" + id).then().statusCode(200);
        as(author).delete("/internal/posts/" + id).then().statusCode(404);
        as(UUID.randomUUID()).post("/internal/posts/" + id + "/upvote").then().statusCode(404);
        as(author).delete("/internal/posts/not-a-uuid").then().statusCode(404);
    }

    @Test
    void votesToggleFlipAndNeverCountOnesOwnPost() {
        UUID author = UUID.randomUUID();
        UUID voter = UUID.randomUUID();
        String id = post(author);
        String path = "/internal/posts/" + id;
        as(author).post(path + "/upvote").then().statusCode(400).body("code", equalTo("SELF_VOTE"));
        as(voter).post(path + "/upvote").then().statusCode(200).body("action", equalTo("upvoted"));
        as(voter).post(path + "/upvote").then().statusCode(200).body("action", equalTo("removed"));
        as(voter).post(path + "/downvote").then().statusCode(200).body("action", equalTo("downvoted"));
        as(voter).post(path + "/upvote").then().statusCode(200).body("action", equalTo("changed"));
        assertEquals(1, count("SELECT value FROM vote WHERE target_id = '" + id + "' AND voter_id = '" + voter + "'"));
    }

    @Test
    void fiftyParallelIdenticalUpvotesLeaveOneConsistentVote() throws Exception {
        UUID author = UUID.randomUUID();
        UUID voter = UUID.randomUUID();
        String id = post(author);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return as(voter).post("/internal/posts/" + id + "/upvote").statusCode();
            }));
        }
        go.countDown();
        for (Future<Integer> f : results) {
            assertEquals(200, f.get());
        }
        pool.shutdown();
        long value = count("SELECT value FROM vote WHERE target_id = '" + id + "' AND voter_id = '" + voter + "'");
        assertTrue(value == 0 || value == 1, "one vote at most");
        assertEquals(50, count("SELECT count(*) FROM outbox WHERE type = 'shoal.vote.cast.v1' AND subject = '" + id + "'"));
        // the events alternate 1, 0, 1, ... in commit order, ending at the stored state
        assertEquals(value, count("SELECT convert_from(data, 'UTF8')::jsonb ->> 'value' FROM outbox"
                + " WHERE subject = '" + id + "' AND type = 'shoal.vote.cast.v1' ORDER BY seq DESC LIMIT 1"));
    }

    /**
     * Forty agents voting on one post at once: their votes are one stream on shoal.votes, so on the topic they carry
     * versions 1..40 in offset order, and the votes stored add up to what was sent.
     */
    @Test
    void concurrentVotesOnOnePostReachTheTopicInVersionOrder() throws Exception {
        String id = post(UUID.randomUUID());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String direction = i % 4 == 0 ? "downvote" : "upvote";
            results.add(pool.submit(() -> {
                go.await();
                return as(UUID.randomUUID()).post("/internal/posts/" + id + "/" + direction).statusCode();
            }));
        }
        go.countDown();
        for (Future<Integer> f : results) {
            assertEquals(200, f.get());
        }
        pool.shutdown();
        assertEquals(30 - 10, count("SELECT sum(value) FROM vote WHERE target_id = '" + id + "'"));
        assertVersionOrder(id, 40, "every vote reached the topic");
    }

    /**
     * Votes on one post that arrive while a transaction holds its stream wait in post-service, then share one
     * transaction, each answered as if it had run alone. A test transaction holds the stream's row lock while 18 agents
     * upvote, an agent that had upvoted upvotes again (taking it back) and the author upvotes (refused); one of them
     * reaches PostgreSQL and waits on the lock, the others wait in post-service. Released, they run as one group.
     */
    @Test
    void votesWaitingForTheirPostsStreamShareATransactionAndEachIsAnsweredAsAlone() throws Exception {
        UUID author = UUID.randomUUID();
        String id = post(author);
        UUID again = UUID.randomUUID();
        as(again).post("/internal/posts/" + id + "/upvote").then().statusCode(200);
        long joinedBefore = writer.joined();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<io.restassured.response.Response>> voters = new ArrayList<>();
        Future<io.restassured.response.Response> takenBack;
        Future<io.restassured.response.Response> selfVote;
        try (java.sql.Connection c = dataSource.getConnection()) {
            lockVoteStream(c, id);
            for (int i = 0; i < 18; i++) {
                voters.add(pool.submit(() -> as(UUID.randomUUID()).post("/internal/posts/" + id + "/upvote")));
            }
            takenBack = pool.submit(() -> as(again).post("/internal/posts/" + id + "/upvote"));
            selfVote = pool.submit(() -> as(author).post("/internal/posts/" + id + "/upvote"));
            awaitWaiting(19);
            c.commit();
        }
        for (Future<io.restassured.response.Response> v : voters) {
            v.get().then().statusCode(200).body("action", equalTo("upvoted"));
        }
        takenBack.get().then().statusCode(200).body("action", equalTo("removed"));
        selfVote.get().then().statusCode(400).body("code", equalTo("SELF_VOTE"));
        pool.shutdown();
        org.junit.jupiter.api.Assertions.assertTrue(writer.joined() - joinedBefore >= 18,
                "the waiting votes ran in one transaction: " + (writer.joined() - joinedBefore));
        assertEquals(18, count("SELECT sum(value) FROM vote WHERE target_id = '" + id + "'"));
        assertVersionOrder(id, 20, "every accepted vote reached the topic");
    }

    /**
     * When a group's transaction fails as a whole, nothing of it is kept and each of its commands runs again on its
     * own: one vote whose storage fails (a trigger stands for a failing disk or constraint) fails alone, and the
     * others that waited with it are answered and stored.
     */
    @Test
    void aGroupThatFailsRunsEachOfItsVotesAgainAlone() throws Exception {
        String id = post(UUID.randomUUID());
        as(UUID.randomUUID()).post("/internal/posts/" + id + "/upvote").then().statusCode(200);
        UUID failing = UUID.randomUUID();
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION test_failing_vote() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.voter_id = '" + failing + "' THEN RAISE EXCEPTION 'this vote cannot be stored'; END IF;"
                    + " RETURN NEW; END $$");
            st.execute("CREATE TRIGGER test_failing_vote BEFORE INSERT OR UPDATE ON vote FOR EACH ROW"
                    + " EXECUTE FUNCTION test_failing_vote()");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long joinedBefore = writer.joined();
            List<Future<io.restassured.response.Response>> others = new ArrayList<>();
            Future<io.restassured.response.Response> broken;
            try (java.sql.Connection c = dataSource.getConnection()) {
                lockVoteStream(c, id);
                for (int i = 0; i < 4; i++) {
                    others.add(pool.submit(() -> as(UUID.randomUUID()).post("/internal/posts/" + id + "/upvote")));
                }
                awaitWaiting(3);
                broken = pool.submit(() -> as(failing).post("/internal/posts/" + id + "/upvote"));
                for (int i = 0; i < 3; i++) {
                    others.add(pool.submit(() -> as(UUID.randomUUID()).post("/internal/posts/" + id + "/upvote")));
                }
                awaitWaiting(7);
                c.commit();
            }
            for (Future<io.restassured.response.Response> v : others) {
                v.get().then().statusCode(200).body("action", equalTo("upvoted"));
            }
            assertEquals(500, broken.get().statusCode(), broken.get().asString());
            assertEquals(0, writer.joined() - joinedBefore, "the failed group counts no joined command");
            assertEquals(8, count("SELECT count(*) FROM vote WHERE target_id = '" + id + "' AND value = 1"));
            assertEquals(0, count("SELECT count(*) FROM vote WHERE voter_id = '" + failing + "'"));
            assertVersionOrder(id, 8, "every stored vote reached the topic, the failed one did not");
        } finally {
            pool.shutdown();
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER test_failing_vote ON vote");
                st.execute("DROP FUNCTION test_failing_vote()");
            }
        }
    }

    /** Waits (30 s at most) until {@code count} votes wait in post-service, one having reached the held lock. */
    void awaitWaiting(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (writer.waiting() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, writer.waiting(), "one vote waits on the lock, the others in post-service");
    }

    /** The post's vote stream on {@code shoal.votes}, locked in {@code c}'s transaction until it ends. */
    static void lockVoteStream(java.sql.Connection c, String id) throws java.sql.SQLException {
        c.setAutoCommit(false);
        try (java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM event_stream WHERE topic = 'shoal.votes' AND subject = ? FOR UPDATE")) {
            ps.setString(1, id);
            ps.executeQuery().close();
        }
    }

    /** The post's {@code count} vote events on the topic carry versions 1..count in offset order. */
    static void assertVersionOrder(String id, int count, String message) {
        List<EventEnvelope> stream = TestLog.read(Topic.VOTES, id, count, Duration.ofSeconds(30));
        assertEquals(count, stream.size(), message);
        for (int i = 0; i < stream.size(); i++) {
            assertEquals(i + 1, stream.get(i).aggregateVersion(), "offset order is version order, no gap or repeat");
        }
    }
}
