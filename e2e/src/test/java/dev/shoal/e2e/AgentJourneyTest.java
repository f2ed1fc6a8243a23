package dev.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.e2e.LocalStack.Answer;
import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.Topic;
import dev.shoal.launcher.KafkaBroker;
import dev.shoal.launcher.ProjectRoot;
import dev.shoal.launcher.Stack;

/**
 * The whole of Shoal started through the launcher behind {@code ./services up} (on its own ports and directory),
 * driven over HTTP the way an agent drives it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentJourneyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static LocalStack local;
    static Path dir;
    static Stack stack;
    static String api;

    @BeforeAll
    static void up() throws IOException {
        local = LocalStack.up("shoal-e2e-", Map.of(Stack.GATEWAY, Map.of("shoal.rate-limit.registrations.requests",
                "1000", "shoal.rate-limit.per-key.requests", "100000", // 2,000 votes in seconds from two keys
                // the revocation test sends 30 dead keys in seconds on purpose; the guessing limit has its own test
                "shoal.rate-limit.failed-keys.requests", "1000",
                // three DM requests an hour, so the private-message test reaches the budget
                "shoal.rate-limit.dm-requests.requests", "3"),
                // a write-time check that misses keys in base64, for moderation's later look to catch
                Stack.POST, Map.of("shoal.secrets.write-time.base64", "false"),
                // one strike suspends: the strike count has its own tests; here the suspension's path is tested
                Stack.MODERATION, Map.of("shoal.moderation.strikes", "1"),
                // its agents are minutes old: the 24 hours before direct messages have their own tests
                Stack.IDENTITY, Map.of("shoal.limits.dm-min-agent-age", "PT0S"),
                // a checkpoint a second once anything is new, so the audit's test need not wait
                Stack.AUDIT, Map.of("shoal.audit.checkpoint-interval", "PT1S")));
        dir = local.dir;
        stack = local.stack;
        api = local.api;
    }

    @AfterAll
    static void down() throws IOException {
        if (local != null) {
            local.close();
        }
    }

    static Answer call(String method, String path, String key, String body) throws Exception {
        return local.call(method, path, key, body);
    }

    static String register(String name) throws Exception {
        return local.register(name);
    }

    /** Feeds are eventually consistent: polls a profile until it shows what is expected. */
    static JsonNode awaitProfile(String name, String key, String pointer, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Answer a;
        do {
            a = call("GET", "/agents/profile?name=" + name, key, null);
            if (a.status() == 200 && expected.equals(a.body().at(pointer).asText())) {
                return a.body();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + " never showed " + pointer + " = " + expected + "; last answer " + a.body());
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    @Order(1)
    void anAgentRegistersFollowsRotatesAndItsProfileSurvivesAReplay() throws Exception {
        String me = unique("reef_");
        String other = unique("kelp_");
        String key = register(me);
        String otherKey = register(other);

        Answer mine = call("GET", "/agents/me", key, null);
        assertEquals(200, mine.status(), "a new key works at once");
        assertEquals(me, mine.body().at("/agent/name").asText());
        assertEquals("pending_claim", call("GET", "/agents/status", key, null).body().path("status").asText());
        assertEquals(200, call("PATCH", "/agents/me", key, "{\"display_name\":\"Reef\"}").status());

        awaitProfile(me, otherKey, "/agent/displayName", "Reef");
        assertEquals(200, call("POST", "/agents/" + other + "/follow", key, null).status());
        JsonNode followed = awaitProfile(other, key, "/agent/followerCount", "1");
        assertTrue(followed.path("isFollowing").asBoolean());
        awaitProfile(me, otherKey, "/agent/followingCount", "1");

        Answer rotated = call("POST", "/agents/me/rotate-key", key, null);
        assertEquals(200, rotated.status());
        String newKey = rotated.body().path("api_key").asText();
        assertNotEquals(key, newKey);
        assertEquals(401, call("GET", "/agents/me", key, null).status(), "the old key is dead at once");
        assertEquals(200, call("GET", "/agents/me", newKey, null).status());

        JsonNode before = awaitProfile(other, newKey, "/agent/followerCount", "1").path("agent");
        PrintStream out = System.out;
        assertTrue(stack.replay(Stack.FEED, out), "feed-service's rebuild equals its live projection");
        assertTrue(stack.replay(Stack.GATEWAY, out), "the gateway's rebuild equals its live projection");
        JsonNode after = call("GET", "/agents/profile?name=" + other, newKey, null).body().path("agent");
        assertEquals(before, after, "the profile is the same after the replay");
        assertEquals(200, call("GET", "/agents/me", newKey, null).status(), "keys still work after the replay");
        assertEquals(401, call("GET", "/agents/me", key, null).status(), "and the rotated one still does not");
    }

    @Test
    @Order(2)
    void refusalsOverHttp() throws Exception {
        assertEquals(401, call("GET", "/agents/me", null, null).status());
        assertEquals(401, call("GET", "/agents/me", "moltbook_shoal_" + "A".repeat(43), null).status());
        assertEquals(400, call("POST", "/agents/register", null, "{\"name\":").status());
        assertEquals(400, call("POST", "/agents/register", null, "{}").status());
        assertEquals(400, call("POST", "/agents/register", null, "{\"name\":\"" + "x".repeat(40) + "\"}").status());
        Answer reserved = call("POST", "/agents/register", null, "{\"name\":\"m0ltbook\"}");
        assertEquals(400, reserved.status());
        assertEquals("VALIDATION_ERROR", reserved.body().path("code").asText());
        String name = unique("twin_");
        register(name);
        assertEquals(409, call("POST", "/agents/register", null, "{\"name\":\"" + name.toUpperCase() + "\"}").status());
        Answer big = call("POST", "/agents/register", null, "{\"name\":\"big_one\",\"description\":\"" + "x".repeat(1_100_000) + "\"}");
        assertEquals(413, big.status());
        String key = register(unique("self_"));
        String myName = call("GET", "/agents/me", key, null).body().at("/agent/name").asText();
        assertEquals(400, call("POST", "/agents/" + myName + "/follow", key, null).status());
        assertEquals(404, call("POST", "/agents/nobody_at_all/follow", key, null).status());
        assertEquals(404, call("GET", "/agents/profile?name=nobody_at_all", key, null).status());
        assertEquals(200, call("GET", "/health", null, null).status());
    }

    @Test
    @Order(3)
    void anEventCommittedButNotPublishedWhenTheServiceDiesIsPublishedOnceOnRestart() throws Exception {
        // identity-service runs with its relay held back, so a registration commits and is not published ...
        stack.crash(Stack.IDENTITY);
        stack.start(Stack.IDENTITY, Map.of("shoal.outbox.relay.enabled", "false"));
        String name = unique("crash_");
        Answer a = call("POST", "/agents/register", null, "{\"name\":\"" + name + "\"}");
        assertEquals(201, a.status(), "the registration is acknowledged once committed");
        String key = a.body().at("/agent/api_key").asText();
        // ... then the process is killed (kill -9) before it ever publishes, and started again.
        stack.crash(Stack.IDENTITY);
        stack.start(Stack.IDENTITY, Map.of());

        String watcherKey = register(unique("watch_"));
        awaitProfile(name, watcherKey, "/agent/name", name);
        assertEquals(200, call("GET", "/agents/me", key, null).status(), "the key reached the gateway too");
        assertEquals(1, registrationsOf(name), "published exactly once");
        Answer profile = call("GET", "/agents/profile?name=" + name, watcherKey, null);
        assertEquals(200, profile.status());
    }

    /** Polls a read until it shows what is expected (reads are eventually consistent). */
    static JsonNode await(String path, String key, String pointer, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Answer a;
        do {
            a = call("GET", path, key, null);
            if (a.status() == 200 && expected.equals(a.body().at(pointer).asText())) {
                return a.body();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " never showed " + pointer + " = " + expected + "; last answer " + a.body());
    }

    @Test
    @Order(4)
    void agentsFoundSubscribeToAndModerateSubmolts() throws Exception {
        String ownerKey = register(unique("owner_"));
        String otherName = unique("other_");
        String otherKey = register(otherName);
        await("/submolts/general", otherKey, "/submolt/name", "general");

        String name = unique("reef-").replace('_', '-');
        Answer created = call("POST", "/submolts", ownerKey,
                "{\"name\":\"" + name + "\",\"display_name\":\"Reef\",\"description\":\"reefs\"}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        assertEquals("owner", created.body().at("/submolt/yourRole").asText());
        assertEquals(429, call("POST", "/submolts", ownerKey, "{\"name\":\"" + name + "-2\"}").status(),
                "an agent younger than a day founds one submolt");

        await("/submolts/" + name, ownerKey, "/submolt/yourRole", "owner");
        assertEquals(200, call("POST", "/submolts/" + name + "/subscribe", otherKey, null).status());
        await("/submolts/" + name, otherKey, "/submolt/subscriberCount", "2");
        assertTrue(call("GET", "/submolts/" + name, otherKey, null).body().at("/submolt/isSubscribed").asBoolean());

        assertEquals(403, call("PATCH", "/submolts/" + name + "/settings", otherKey, "{\"description\":\"mine\"}").status());
        assertEquals(403, call("POST", "/submolts/" + name + "/moderators", otherKey,
                "{\"agent_name\":\"" + otherName + "\"}").status());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int added;
        do { // post-service learns of new agents from the log
            added = call("POST", "/submolts/" + name + "/moderators", ownerKey,
                    "{\"agent_name\":\"" + otherName + "\"}").status();
        } while (added == 404 && System.nanoTime() < deadline);
        assertEquals(200, added);
        assertEquals(200, call("PATCH", "/submolts/" + name + "/settings", otherKey,
                "{\"description\":\"moderated\",\"theme_color\":\"#38ada9\"}").status());
        await("/submolts/" + name, otherKey, "/submolt/yourRole", "moderator");
        await("/submolts/" + name + "/moderators", otherKey, "/data/1/name", otherName);
        JsonNode listed = await("/submolts?sort=new&limit=5", otherKey, "/pagination/limit", "5");
        assertTrue(listed.path("data").size() <= 5);
        assertEquals(400, call("GET", "/submolts?limit=101", otherKey, null).status());
        assertEquals(400, call("POST", "/submolts", otherKey, "{\"name\":\"Not Valid\"}").status());
        assertEquals(401, call("POST", "/submolts", null, "{\"name\":\"no-key\"}").status());

        // The moderator pins the owner's post and unpins it; an agent with no role is refused.
        Answer posted = call("POST", "/posts", ownerKey,
                "{\"submolt\":\"" + name + "\",\"title\":\"House rules\",\"content\":\"Be kind to the coral.\"}");
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        String postId = posted.body().at("/post/id").asText();
        String strangerKey = register(unique("stranger_"));
        String feed = "/submolts/" + name + "/feed?sort=new";
        await(feed, otherKey, "/data/0/id", postId);
        assertEquals(403, call("POST", "/posts/" + postId + "/pin", strangerKey, null).status());
        Answer pinned = call("POST", "/posts/" + postId + "/pin", otherKey, null);
        assertEquals(200, pinned.status(), String.valueOf(pinned.body()));
        assertEquals("pinned", pinned.body().path("action").asText());
        await(feed, otherKey, "/data/0/isPinned", "true");
        assertEquals(403, call("DELETE", "/posts/" + postId + "/pin", strangerKey, null).status());
        assertEquals(200, call("DELETE", "/posts/" + postId + "/pin", otherKey, null).status());
        await(feed, otherKey, "/data/0/isPinned", "false");

        // The owner removes the moderator, who then loses the right to edit settings, and unsubscribes.
        assertEquals(403, call("DELETE", "/submolts/" + name + "/moderators", strangerKey,
                "{\"agent_name\":\"" + otherName + "\"}").status());
        assertEquals(200, call("DELETE", "/submolts/" + name + "/moderators", ownerKey,
                "{\"agent_name\":\"" + otherName + "\"}").status());
        assertEquals(403, call("PATCH", "/submolts/" + name + "/settings", otherKey, "{\"description\":\"mine\"}").status());
        assertEquals(403, call("POST", "/posts/" + postId + "/pin", otherKey, null).status());
        await("/submolts/" + name, otherKey, "/submolt/yourRole", "null");
        assertEquals(1, call("GET", "/submolts/" + name + "/moderators", otherKey, null).body().path("data").size());
        assertEquals(200, call("DELETE", "/submolts/" + name + "/subscribe", otherKey, null).status());
        await("/submolts/" + name, otherKey, "/submolt/subscriberCount", "1");
        assertTrue(!call("GET", "/submolts/" + name, otherKey, null).body().at("/submolt/isSubscribed").asBoolean());

        JsonNode before = await("/submolts/" + name, otherKey, "/submolt/description", "moderated").path("submolt");
        assertTrue(stack.replay(Stack.POST, System.out), "post-service's rebuild equals its live projection");
        assertTrue(stack.replay(Stack.FEED, System.out), "feed-service's rebuild equals its live projection");
        assertEquals(before, call("GET", "/submolts/" + name, otherKey, null).body().path("submolt"));
    }

    @Test
    @Order(5)
    void agentsPostVoteAndDeleteAndFeedsFollow() throws Exception {
        String authorName = unique("author_");
        String authorKey = register(authorName);
        String aKey = register(unique("va_"));
        String bKey = register(unique("vb_"));
        Answer posted = call("POST", "/posts", authorKey,
                "{\"submolt\":\"general\",\"title\":\"Low tide\",\"content\":\"The reef shows at 2 am.\"}");
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        String id = posted.body().at("/post/id").asText();
        Answer again = call("POST", "/posts", authorKey, "{\"submolt\":\"general\",\"title\":\"t\",\"content\":\"c\"}");
        assertEquals(429, again.status());
        assertTrue(again.body().path("retry_after_minutes").asInt() > 0);
        assertEquals(400, call("POST", "/posts", aKey,
                "{\"submolt\":\"general\",\"title\":\"t\",\"url\":\"javascript:alert(1)\"}").status());

        assertEquals(400, call("POST", "/posts/" + id + "/upvote", authorKey, null).status(), "no self-votes");
        Answer vote = call("POST", "/posts/" + id + "/upvote", aKey, null);
        assertEquals("upvoted", vote.body().path("action").asText());
        assertEquals(authorName, vote.body().at("/author/name").asText());
        await("/posts/" + id, aKey, "/post/score", "1");
        assertEquals(1, call("GET", "/posts/" + id, aKey, null).body().at("/post/userVote").asInt());
        await("/submolts/general/feed?sort=new&limit=5", aKey, "/data/0/id", id);

        // Two agents vote 1,000 times each, the two in parallel on one post. The oracle is the votes sent: each
        // agent's own calls go one after another, so folding "again removes, opposite flips" over them gives every
        // answer's action and the final vote, which score, upvotes and karma must equal.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<Integer>> finals = new ArrayList<>();
        for (String key : List.of(aKey, bKey)) {
            java.util.Random random = new java.util.Random(key.hashCode());
            finals.add(pool.submit(() -> {
                int state = key.equals(aKey) ? 1 : 0; // aKey upvoted above
                for (int i = 0; i < 1000; i++) {
                    int direction = random.nextBoolean() ? 1 : -1;
                    int next = state == direction ? 0 : direction;
                    String expected = next == 0 ? "removed" : state == 0 ? (next > 0 ? "upvoted" : "downvoted")
                            : "changed";
                    Answer answer = call("POST", "/posts/" + id + "/" + (direction > 0 ? "upvote" : "downvote"),
                            key, null);
                    assertEquals(200, answer.status(), String.valueOf(answer.body()));
                    assertEquals(expected, answer.body().path("action").asText(), "vote " + i);
                    state = next;
                }
                return state;
            }));
        }
        int a = finals.get(0).get();
        int b = finals.get(1).get();
        pool.shutdown();
        await("/posts/" + id, aKey, "/post/score", String.valueOf(a + b));
        // The score may pass through the final value on the way; with no lag left, every vote has been applied.
        // The lag is measured against the log's end as the runner last saw it (every half second): twice, a second
        // apart, so the last votes are counted in.
        for (int round = 0; round < 2; round++) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (stack.projectionLag(Stack.FEED) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, stack.projectionLag(Stack.FEED), "feed-service applied every vote");
            Thread.sleep(1000);
        }
        assertEquals(0, stack.projectionDeadLetters(Stack.FEED), "no vote was set aside");
        JsonNode post = call("GET", "/posts/" + id, aKey, null).body().path("post");
        assertEquals(a + b, post.path("score").asInt(), "score = the two final votes");
        assertEquals((a == 1 ? 1 : 0) + (b == 1 ? 1 : 0), post.path("upvotes").asInt());
        assertEquals(a, post.path("userVote").asInt(), "the first voter's own vote");
        assertEquals(b, call("GET", "/posts/" + id, bKey, null).body().at("/post/userVote").asInt());
        await("/agents/profile?name=" + authorName, aKey, "/agent/karma", String.valueOf(a + b));

        Answer top = call("POST", "/posts/" + id + "/comments", aKey, "{\"content\":\"Bring a lamp.\"}");
        assertEquals(201, top.status(), String.valueOf(top.body()));
        String commentId = top.body().at("/comment/id").asText();
        assertEquals(429, call("POST", "/posts/" + id + "/comments", aKey, "{\"content\":\"and boots\"}").status(),
                "one comment per cooldown");
        Answer reply = call("POST", "/posts/" + id + "/comments", bKey,
                "{\"content\":\"And boots.\",\"parent_id\":\"" + commentId + "\"}");
        assertEquals(1, reply.body().at("/comment/depth").asInt());
        assertEquals("upvoted", call("POST", "/comments/" + commentId + "/upvote", bKey, null).body().path("action").asText());
        assertEquals(400, call("POST", "/comments/" + commentId + "/upvote", aKey, null).status(), "no self-votes");
        await("/posts/" + id + "/comments?sort=best", aKey, "/comments/0/replies/0/content", "And boots.");
        await("/posts/" + id, aKey, "/post/commentCount", "2");
        assertEquals(200, call("POST", "/agents/" + authorName + "/follow", bKey, null).status());
        await("/feed?filter=following&sort=hot", bKey, "/data/0/id", id);
        await("/home", authorKey, "/activity_on_your_posts/0/preview", "And boots."); // newest first
        await("/search?q=lamp&type=all", aKey, "/comments/0/content", "Bring a lamp.");
        assertEquals(id, call("GET", "/search?q=low%20tide&type=posts", aKey, null).body().at("/posts/0/id").asText());
        assertEquals(400, call("GET", "/search?q=" + "x".repeat(501), aKey, null).status());

        assertEquals(403, call("DELETE", "/comments/" + commentId, bKey, null).status(), "only the author deletes");
        assertEquals(200, call("DELETE", "/comments/" + commentId, aKey, null).status());
        await("/comments/" + commentId, aKey, "/comment/content", "[deleted]");

        assertEquals(403, call("DELETE", "/posts/" + id, aKey, null).status(), "only the author deletes");
        assertEquals(200, call("DELETE", "/posts/" + id, authorKey, null).status());
        long gone = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (call("GET", "/posts/" + id, aKey, null).status() != 404 && System.nanoTime() < gone) {
            Thread.sleep(50);
        }
        assertEquals(404, call("GET", "/posts/" + id, aKey, null).status());
        for (String sort : List.of("hot", "new", "top", "rising")) {
            JsonNode feed = call("GET", "/posts?sort=" + sort + "&limit=100", aKey, null).body();
            feed.path("data").forEach(p -> assertTrue(!id.equals(p.path("id").asText()), sort + " still lists it"));
        }
        assertTrue(stack.replay(Stack.FEED, System.out), "feed-service's rebuild equals live after all that voting");
    }

    /** Counts the registration events of a name on the log itself. */
    static int registrationsOf(String name) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(stack.kafka().clientConfig(KafkaBroker.ADMIN), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            c.partitionsFor(Topic.IDENTITY.id()).forEach(p -> tps.add(new TopicPartition(p.topic(), p.partition())));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            int found = 0;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    String type = CloudEventHeaders.fromRecord(r).type();
                    if (type.equals("shoal.agent.registered.v1")
                            && new String(r.value()).contains("\"name\":\"" + name + "\"")) {
                        found++;
                    }
                }
            }
            return found;
        }
    }

    /**
     * A lost database comes back from the log: post-service's and identity-service's databases are dropped and their
     * tables restored from their own topics, row for row, and commands that depend on what they held answer as
     * before (a repeated upvote removes the vote, the posting cooldown holds, only the author may delete, names stay
     * taken, a rotated key stays dead).
     */
    @Test
    @Order(6)
    void ownTablesOfALostDatabaseAreRestoredFromTheLogRowForRow() throws Exception {
        String founderName = unique("founder_");
        String founderKey = register(founderName);
        String fanName = unique("fan_");
        String fanKey = register(fanName);
        String rotatingKey = register(unique("rot_"));
        String rotatedKey = call("POST", "/agents/me/rotate-key", rotatingKey, null).body().path("api_key").asText();
        String submolt = unique("tide-").replace('_', '-');
        assertEquals(201, call("POST", "/submolts", founderKey, "{\"name\":\"" + submolt + "\"}").status());
        assertEquals(200, call("POST", "/submolts/" + submolt + "/subscribe", fanKey, null).status());
        Answer posted = call("POST", "/posts", founderKey,
                "{\"submolt\":\"" + submolt + "\",\"title\":\"Spring tide\",\"content\":\"Highest of the year.\"}");
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        String postId = posted.body().at("/post/id").asText();
        assertEquals(201, call("POST", "/posts/" + postId + "/comments", fanKey, "{\"content\":\"Noted.\"}").status());
        assertEquals("upvoted", call("POST", "/posts/" + postId + "/upvote", fanKey, null).body().path("action").asText());
        assertEquals(200, call("POST", "/agents/" + founderName + "/follow", fanKey, null).status());

        Map<String, String> postTables = ownTables(Stack.POST);
        Map<String, String> identityTables = ownTables(Stack.IDENTITY);
        assertTrue(postTables.keySet().containsAll(List.of("post", "comment", "vote", "submolt", "event_stream")),
                String.valueOf(postTables.keySet()));
        awaitPublished(Stack.POST);
        awaitPublished(Stack.IDENTITY);
        stack.restore(Stack.POST, true, System.out);
        stack.restore(Stack.IDENTITY, true, System.out);
        assertEquals(postTables, ownTables(Stack.POST), "post-service's tables, restored from the log");
        assertEquals(identityTables, ownTables(Stack.IDENTITY), "identity-service's tables, restored from the log");

        assertEquals("removed", call("POST", "/posts/" + postId + "/upvote", fanKey, null).body().path("action").asText(),
                "the restored vote is there to be removed");
        assertEquals(429, call("POST", "/posts", founderKey,
                "{\"submolt\":\"" + submolt + "\",\"title\":\"Again\",\"content\":\"Too soon.\"}").status(),
                "the posting cooldown counts the restored post");
        assertEquals(403, call("DELETE", "/posts/" + postId, fanKey, null).status(), "only the author deletes");
        assertEquals(409, call("POST", "/submolts", fanKey, "{\"name\":\"" + submolt + "\"}").status());
        assertEquals(409, call("POST", "/agents/register", null,
                "{\"name\":\"" + fanName + "\",\"description\":\"again\"}").status(), "the name stays taken");
        assertEquals(200, call("GET", "/agents/me", rotatedKey, null).status());
        assertEquals(401, call("GET", "/agents/me", rotatingKey, null).status(), "a rotated key stays dead");
        assertEquals(200, call("POST", "/agents/" + founderName + "/follow", fanKey, null).status());
        awaitProfile(founderName, fanKey, "/agent/followerCount", "1");
        assertEquals(200, call("DELETE", "/posts/" + postId, founderKey, null).status());
    }

    /**
     * Every table of a service's own database but its bookkeeping (migrations, outbox, restore progress, its
     * projections' versions), each as its
     * row count and a digest of its rows in a fixed order.
     */
    static Map<String, String> ownTables(String service) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (java.sql.Connection c = stack.superuser(service); java.sql.Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (java.sql.ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ("
                    + "'flyway_schema_history', 'outbox', 'own_restore', 'own_restore_offset')"
                    + " AND table_name NOT LIKE 'shoal\\_projection%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) || ' rows, ' || coalesce(md5(string_agg("
                        + "x::text, '|' ORDER BY x::text)), '-') FROM " + t + " x")) {
                    rs.next();
                    out.put(t, rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Waits until the service's relay has put every outbox row on the log. */
    static void awaitPublished(String service) throws Exception {
        local.awaitPublished(service);
    }

    /**
     * A restore killed half-way (kill -9, small batches so that there is a half-way) goes on from its last batch when
     * run again, without --wipe, and ends with every table as it was: nothing applied twice, nothing skipped.
     */
    @Test
    @Order(7)
    void aRestoreKilledHalfWayGoesOnFromItsLastBatchAndAppliesNothingTwice() throws Exception {
        awaitPublished(Stack.POST);
        Map<String, String> before = ownTables(Stack.POST);
        java.util.concurrent.atomic.AtomicReference<Throwable> stopped = new java.util.concurrent.atomic.AtomicReference<>();
        Thread restoring = new Thread(() -> {
            try {
                stack.restore(Stack.POST, true, Map.of("shoal.restore.batch-size", "5"), System.out);
            } catch (Throwable t) {
                stopped.set(t);
            }
        });
        restoring.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long applied = 0;
        while (applied < 200 && System.nanoTime() < deadline) { // the new process's restore, not the old one's
            JsonNode status = restoreStatus(Stack.POST);
            applied = "RESTORING".equals(status.path("phase").asText()) ? status.path("eventsApplied").asLong(0) : 0;
            Thread.sleep(20);
        }
        assertTrue(applied >= 200 && applied < 1500, "killed half-way, after " + applied + " events");
        stack.crash(Stack.POST);
        restoring.join(60_000);
        assertTrue(stopped.get() != null, "the first restore saw its service die");

        stack.restore(Stack.POST, false, System.out);
        assertEquals(before, ownTables(Stack.POST), "the restore went on and applied every event once");
    }

    /** post-service's {@code /internal/restore}, or an empty object while it does not answer. */
    static JsonNode restoreStatus(String service) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(stack.service(service))
                            + "/internal/restore")).header("X-Shoal-Internal-Token", stack.internalToken())
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /**
     * Writers whose clocks differ: a post stamped a few milliseconds before the submolt it is in (as a second
     * post-service replica with a slower clock would stamp it). The restore applies events in time order, so the post
     * comes first in its batch; its foreign key is checked when the batch commits, and the restore goes through.
     */
    @Test
    @Order(8)
    void aRestoreAbsorbsWritersClocksAFewMillisecondsApart() throws Exception {
        UUID submolt = UUID.randomUUID();
        UUID post = UUID.randomUUID();
        String name = unique("skew-").replace('_', '-');
        java.time.Instant founded = java.time.Instant.now();
        Map<String, Object> config = stack.kafka().clientConfig("post-service");
        try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> p =
                     new org.apache.kafka.clients.producer.KafkaProducer<>(config,
                             new org.apache.kafka.common.serialization.StringSerializer(),
                             new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var created = new dev.shoal.events.SubmoltEvent.SubmoltCreated(submolt, name, "Skew", "clocks", false,
                    null);
            var posted = new dev.shoal.events.PostEvent.PostCreated(post, submolt, name, UUID.randomUUID(), "Early",
                    "stamped before its submolt", null, dev.shoal.events.PostEvent.Kind.TEXT);
            p.send(CloudEventHeaders.toRecord(created.topic().id(), dev.shoal.events.EventEnvelope.of(created,
                    "system", "skew", founded, 1))).get();
            p.send(CloudEventHeaders.toRecord(posted.topic().id(), dev.shoal.events.EventEnvelope.of(posted,
                    "system", "skew", founded.minusMillis(5), 1))).get();
        }
        awaitPublished(Stack.POST);
        stack.restore(Stack.POST, true, System.out);
        try (java.sql.Connection c = stack.superuser(Stack.POST);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT submolt_id FROM post WHERE id = ?")) {
            ps.setObject(1, post);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the early post is restored");
                assertEquals(submolt, rs.getObject(1, UUID.class));
            }
        }
    }

    /**
     * Revocation fails closed: revoke and rotate answer only once the gateway refuses the old key (or, for a revoke
     * whose confirmation is late, a 503 while the key is refused here already), so the very next call with the old
     * key is a 401, every time.
     */
    @Test
    @Order(9)
    void aRevokedOrRotatedKeyIsRefusedOnTheVeryNextCall() throws Exception {
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"),
                java.nio.file.Files.getPosixFilePermissions(dir.resolve("kafka")), "the log's files are its owner's only");
        for (int i = 0; i < 15; i++) {
            String key = register(unique("rv_"));
            assertEquals(200, call("GET", "/agents/me", key, null).status()); // cached in the gateway now
            Answer revoked = call("POST", "/agents/me/revoke-key", key, null);
            assertTrue(revoked.status() == 200 || (revoked.status() == 503
                    && "REVOCATION_PENDING".equals(revoked.body().path("code").asText())), String.valueOf(revoked));
            assertEquals(401, call("GET", "/agents/me", key, null).status(), "a revoked key works no more");

            String old = register(unique("rt_"));
            assertEquals(200, call("GET", "/agents/me", old, null).status());
            Answer rotated = call("POST", "/agents/me/rotate-key", old, null);
            assertEquals(200, rotated.status());
            assertEquals(401, call("GET", "/agents/me", old, null).status(), "a rotated-away key works no more");
            assertEquals(200, call("GET", "/agents/me", rotated.body().path("api_key").asText(), null).status());
        }
    }

    /**
     * PostgreSQL away: every call that needs it answers 503 with Retry-After (never a 500) and changes nothing; once
     * it is back, the same calls work without restarting anything.
     */
    @Test
    @Order(10)
    void withPostgresDownCallsAnswer503AndRecoverWhenItIsBack() throws Exception {
        String key = register(unique("pg_"));
        assertEquals(200, call("GET", "/agents/me", key, null).status());
        stack.postgres().stop();
        try {
            for (String[] c : new String[][] {{"GET", "/agents/me", key}, {"GET", "/posts?sort=new", key},
                    {"POST", "/agents/register", null}}) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + c[1]))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .headers(c[2] == null ? new String[] {"X-Shoal-Test", "1"}
                                : new String[] {"Authorization", "Bearer " + c[2]})
                        .method(c[0], c[0].equals("POST") ? HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + unique("pgd_") + "\"}") : HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), c[0] + " " + c[1] + ": " + r.body());
                assertTrue(r.headers().firstValue("Retry-After").isPresent(), c[1] + " says when to come back");
            }
        } finally {
            stack.postgres().start(stack.log("postgres"));
        }
        // Connections the pools held across the outage fail once each (a 503 too); then everything works again.
        String body = "{\"name\":\"" + unique("pgu_") + "\"}";
        assertEquals(200, awaitNot503("GET", "/agents/me", key, null), "the services reconnect by themselves");
        assertEquals(201, awaitNot503("POST", "/agents/register", null, body));
        assertEquals(200, awaitNot503("GET", "/posts?sort=new", key, null));
    }

    /**
     * An agent reads its own writes through the gateway, every time, with no sleep: the four cases measured stale
     * before (unsubscribe, follow, create a post, delete it), 100 times each, each time by a new agent (a new agent
     * may post once); its new post also leads the submolt's feed, whose page was cached just before.
     */
    @Test
    @Order(11)
    void anAgentAlwaysReadsItsOwnWrites() throws Exception {
        String ownerKey = register(unique("rwo_"));
        String followee = unique("rwf_");
        register(followee);
        String submolt = unique("rw-").replace('_', '-');
        assertEquals(201, call("POST", "/submolts", ownerKey, "{\"name\":\"" + submolt + "\",\"display_name\":\"RYW\","
                + "\"description\":\"reads\"}").status());
        for (int i = 0; i < 100; i++) {
            String key = register(unique("rw_"));
            assertEquals(200, call("POST", "/submolts/" + submolt + "/subscribe", key, null).status());
            assertFresh(call("GET", "/submolts/" + submolt, key, null), "/submolt/isSubscribed", "true");
            assertEquals(200, call("DELETE", "/submolts/" + submolt + "/subscribe", key, null).status());
            assertFresh(call("GET", "/submolts/" + submolt, key, null), "/submolt/isSubscribed", "false");
            assertEquals(200, call("POST", "/agents/" + followee + "/follow", key, null).status());
            assertFresh(call("GET", "/agents/profile?name=" + followee, key, null), "/isFollowing", "true");
            String feed = "/posts?submolt=" + submolt + "&sort=new";
            assertEquals(200, call("GET", feed, key, null).status()); // the page, cached for everyone, without the post
            Answer posted = call("POST", "/posts", key, "{\"submolt\":\"" + submolt + "\",\"title\":\"Mine " + i
                    + "\",\"content\":\"read me back\"}");
            assertEquals(201, posted.status(), String.valueOf(posted.body()));
            String id = posted.body().at("/post/id").asText();
            assertFresh(call("GET", "/posts/" + id, key, null), "/post/id", id);
            assertFresh(call("GET", feed, key, null), "/data/0/id", id);
            assertEquals(200, call("DELETE", "/posts/" + id, key, null).status());
            assertEquals(404, call("GET", "/posts/" + id, key, null).status(), "a deleted post is gone for its author");
        }
    }

    /**
     * Moltbook's official SDK, as it calls: each path resolved against the base URL it is given by the WHATWG URL rules
     * ({@code new URL('/agents/me', baseUrl)}, which drops {@code /api/v1}), camelCase fields read from {@code agent},
     * {@code post}, {@code comment} and {@code data}. Java's resolver is checked against Node's {@code URL} where Node
     * is installed.
     */
    @Test
    @Order(12)
    void moltbooksSdkWorksWithOnlyItsBaseUrlSet() throws Exception {
        URI base = URI.create(api); // http://127.0.0.1:<port>/api/v1, what a user gives the SDK
        List<String> paths = List.of("/agents/register", "/agents/me", "/posts", "/posts/x/comments",
                "/posts/x/upvote", "/posts?sort=new&limit=5", "/search?q=sdk&type=posts");
        assertWhatwgResolves(base, paths);
        String name = unique("sdk_");
        Answer registered = sdk(base, "POST", "/agents/register", null,
                "{\"name\":\"" + name + "\",\"description\":\"via the SDK\"}");
        assertEquals(201, registered.status());
        String key = registered.body().at("/agent/api_key").asText();
        assertTrue(key.startsWith("moltbook_"), "the SDK refuses keys that do not start with moltbook_");
        assertEquals(name, sdk(base, "GET", "/agents/me", key, null).body().at("/agent/name").asText());
        Answer post = sdk(base, "POST", "/posts", key, "{\"submolt\":\"general\",\"title\":\"Sdk tide\","
                + "\"content\":\"posted the way the SDK posts\"}");
        assertEquals(201, post.status(), String.valueOf(post.body()));
        String id = post.body().at("/post/id").asText();
        assertEquals("Sdk tide", post.body().at("/post/title").asText());
        assertEquals(name, post.body().at("/post/authorName").asText());
        String other = register(unique("sdkv_"));
        Answer comment = sdk(base, "POST", "/posts/" + id + "/comments", other, "{\"content\":\"nice\"}");
        assertEquals(201, comment.status(), String.valueOf(comment.body()));
        assertEquals("nice", comment.body().at("/comment/content").asText());
        assertEquals(200, sdk(base, "POST", "/posts/" + id + "/upvote", other, null).status());
        Answer feed = sdk(base, "GET", "/posts?sort=new&limit=5", key, null);
        assertEquals(200, feed.status());
        assertTrue(feed.body().path("data").isArray() && feed.body().path("pagination").isObject(), feed.body().toString());
        assertEquals(id, feed.body().at("/data/0/id").asText(), "the author's own new post leads its new feed");
        Answer found = sdk(base, "GET", "/search?q=sdk%20tide&type=posts", key, null);
        assertEquals(id, found.body().at("/posts/0/id").asText(), String.valueOf(found.body()));
        assertEquals(401, sdk(base, "GET", "/agents/me", "moltbook_" + "x".repeat(40), null).status());
    }

    /**
     * What others did to an agent reaches it as notifications; marking them read is the agent's own event, which it
     * reads back at once, which touches nobody else's, and which a rebuild of feed-service keeps.
     */
    @Test
    @Order(13)
    void notificationsAreMarkedReadByTheirAgentOnlyAndARebuildKeepsWhatWasRead() throws Exception {
        String author = unique("nta_");
        String authorKey = register(author);
        String aliceKey = register(unique("ntb_"));
        String bob = unique("ntc_");
        String bobKey = register(bob);
        Answer posted = call("POST", "/posts", authorKey, "{\"submolt\":\"general\",\"title\":\"Notify me\","
                + "\"content\":\"ask @" + bob + "\"}");
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        String id = posted.body().at("/post/id").asText();
        assertEquals(201, call("POST", "/posts/" + id + "/comments", aliceKey, "{\"content\":\"first\"}").status());
        assertEquals(201, call("POST", "/posts/" + id + "/comments", bobKey, "{\"content\":\"second\"}").status());
        assertEquals(200, call("POST", "/agents/" + author + "/follow", aliceKey, null).status());
        await("/notifications", authorKey, "/unreadCount", "3");
        await("/home", authorKey, "/your_account/unread_notification_count", "3");
        assertEquals("second", call("GET", "/home", authorKey, null).body().at("/activity_on_your_posts/0/preview").asText());

        Answer byPost = call("POST", "/notifications/read-by-post/" + id, authorKey, null);
        assertEquals(200, byPost.status(), String.valueOf(byPost.body()));
        assertEquals(2, byPost.body().path("marked_count").asInt(), "the two comments on the post");
        Answer unread = call("GET", "/notifications?filter=unread", authorKey, null);
        assertEquals(1, unread.body().path("data").size(), "its own mark, read back at once: " + unread.body());
        assertEquals("new_follower", unread.body().at("/data/0/type").asText());
        assertEquals(1, call("GET", "/notifications", bobKey, null).body().path("unreadCount").asInt(),
                "bob's mention in the post stays unread: the author's mark is the author's only");
        assertEquals(1, call("POST", "/notifications/read-by-post/" + id, bobKey, null).body().path("marked_count").asInt(),
                "bob marks his own mention");
        assertEquals(1, call("GET", "/notifications", authorKey, null).body().path("unreadCount").asInt(),
                "and nothing of the author's");
        assertEquals(1, call("POST", "/notifications/read-all", authorKey, null).body().path("marked_count").asInt());
        assertEquals(0, call("POST", "/notifications/read-all", authorKey, null).body().path("marked_count").asInt(),
                "nothing left to mark (and nothing written)");
        assertEquals(0, call("GET", "/home", authorKey, null).body().at("/your_account/unread_notification_count").asInt());
        assertEquals(400, call("POST", "/notifications/read-by-post/not-a-post", authorKey, null).status());
        assertEquals(400, call("GET", "/notifications?filter=some", authorKey, null).status());
        assertEquals(401, call("POST", "/notifications/read-all", null, null).status());

        JsonNode before = call("GET", "/notifications", authorKey, null).body().path("data");
        assertTrue(stack.replay(Stack.FEED, System.out), "feed-service's rebuild equals its live projection");
        JsonNode after = call("GET", "/notifications", authorKey, null).body();
        assertEquals(before, after.path("data"), "the same notifications, read as before the rebuild");
        assertEquals(0, after.path("unreadCount").asInt());
    }

    /** A call the way the SDK makes it: the path resolved against the base URL, never redirected. */
    static Answer sdk(URI base, String method, String path, String key, String body) throws Exception {
        Answer a = LocalStack.send(base.resolve(path), method, key, body);
        assertTrue(a.status() < 300 || a.status() >= 400, path + " redirected");
        return a;
    }

    /** Java resolves each path as Node's WHATWG URL does (checked where Node is on the PATH). */
    static void assertWhatwgResolves(URI base, List<String> paths) throws Exception {
        List<String> java = paths.stream().map(p -> base.resolve(p).toString()).toList();
        assertTrue(java.get(1).endsWith("/agents/me") && !java.get(1).contains("/api/v1"), java.get(1));
        List<String> cmd = new java.util.ArrayList<>(List.of("node", "-e",
                "const [b, ...ps] = process.argv.slice(1); for (const p of ps) console.log(new URL(p, b).href)",
                base.toString()));
        cmd.addAll(paths);
        Process node;
        try {
            node = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("node is not installed: Java's resolver is not cross-checked");
            return;
        }
        List<String> whatwg = new String(node.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, node.waitFor());
        assertEquals(whatwg, java, "Java resolves as the WHATWG URL standard does");
    }

    /**
     * Measured before: a post holding another agent's live key was accepted with 201 and then found by search.
     * Now it is refused at the gateway's door with SECRET_DETECTED, the answer never echoes it, and search finds
     * nothing of it.
     */
    @Test
    @Order(14)
    void anotherAgentsKeyInAPostOrCommentIsRefusedAndNeverSearchable() throws Exception {
        String victimKey = register(unique("vic_"));
        String writerKey = register(unique("wri_"));
        String leak = LocalStack.JSON.writeValueAsString(java.util.Map.of("submolt", "general",
                "title", "found a key", "content", "look: " + victimKey));
        Answer refused = call("POST", "/posts", writerKey, leak);
        assertEquals(400, refused.status(), String.valueOf(refused.body()));
        assertEquals("SECRET_DETECTED", refused.body().path("code").asText());
        assertFalse(refused.body().toString().contains(victimKey.substring(15)), "the answer never echoes it");
        Answer post = call("POST", "/posts", writerKey, "{\"submolt\":\"general\",\"title\":\"keys\","
                + "\"content\":\"a post about keys\"}");
        assertEquals(201, post.status(), String.valueOf(post.body()));
        String split = String.join("\u200B", victimKey.split(""));
        Answer comment = call("POST", "/posts/" + post.body().at("/post/id").asText() + "/comments", writerKey,
                LocalStack.JSON.writeValueAsString(java.util.Map.of("content", "split: " + split)));
        assertEquals(400, comment.status(), String.valueOf(comment.body()));
        assertEquals("SECRET_DETECTED", comment.body().path("code").asText());
        Answer search = call("GET", "/search?q=" + victimKey.substring(15, 35), writerKey, null);
        assertEquals(200, search.status());
        assertEquals(0, search.body().path("posts").size() + search.body().path("comments").size(), search.body()
                .toString());
        assertEquals(200, call("GET", "/agents/me", victimKey, null).status(), "the victim's key is untouched");
    }

    /**
     * A key the write-time check misses (this stack's post-service does not look inside base64) reaches the log;
     * moderation-service finds it, identity-service revokes it, and the gateway refuses it within about a second of
     * the post; the post leaves every feed, and the victim's owner would see why on their page. The first leak after a
     * start also pays for each hop's first use (relays, consumers, JIT), so it is timed but held only to 10 s; the
     * second is held to the second (with slack for a shared CI machine).
     */
    @Test
    @Order(15)
    void aLeakedKeyTheWriteTimeCheckMissedIsRevokedWithinASecond() throws Exception {
        long first = leakAndAwaitRevocation("first");
        long second = leakAndAwaitRevocation("second");
        System.out.println("leaked key refused " + first + " ms (first after the start) and " + second
                + " ms after the post was answered");
        assertTrue(second < 2_000, "revoked within about a second (took " + second + " ms)");
    }

    /** Posts another agent's live key in base64 and answers how long until the gateway refused that key. */
    private long leakAndAwaitRevocation(String which) throws Exception {
        String victimKey = register(unique("lk_"));
        String writerKey = register(unique("lw_"));
        assertEquals(200, call("GET", "/agents/me", victimKey, null).status());
        String hidden = java.util.Base64.getEncoder().encodeToString(victimKey.getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        Answer post = call("POST", "/posts", writerKey, LocalStack.JSON.writeValueAsString(Map.of("submolt",
                "general", "title", "a config", "content", "auth: " + hidden)));
        assertEquals(201, post.status(), "the write-time check was told to miss it: " + post.body());
        long posted = System.nanoTime();
        int status;
        while ((status = call("GET", "/agents/me", victimKey, null).status()) == 200
                && System.nanoTime() - posted < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(10);
        }
        long millis = Duration.ofNanos(System.nanoTime() - posted).toMillis();
        assertEquals(401, status, "the " + which + " leaked key is revoked (within 10 s)");
        String id = post.body().at("/post/id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (call("GET", "/posts/" + id, writerKey, null).status() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(404, call("GET", "/posts/" + id, writerKey, null).status(), "the post left the feeds");
        assertEquals(200, call("GET", "/agents/me", writerKey, null).status(), "a leak is no strike on the writer");
        return millis;
    }

    /**
     * A crypto shill in general (which does not allow crypto) is hidden, and (one strike suspends on this stack) its
     * author's writes get 403 SUSPENDED with the end time, while its reads still work.
     */
    @Test
    @Order(16)
    void aShillIsHiddenAndItsAuthorSuspendedUntilATimeItIsTold() throws Exception {
        String shillName = unique("sh_");
        String shill = register(shillName);
        Answer post = call("POST", "/posts", shill, LocalStack.JSON.writeValueAsString(Map.of("submolt", "general",
                "title", "Presale now", "content", "Buy $REEF before the pump, 100x")));
        assertEquals(201, post.status(), String.valueOf(post.body()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer write;
        while ((write = call("PATCH", "/agents/me", shill, "{\"description\":\"still here\"}")).status() != 403
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(403, write.status(), String.valueOf(write.body()));
        assertEquals("SUSPENDED", write.body().path("code").asText());
        assertTrue(write.body().path("error").asText().matches(".*suspended until 20\\d\\d-.*"),
                write.body().toString());
        assertEquals(200, call("GET", "/agents/me", shill, null).status(), "reads still work");
        assertEquals(404, call("GET", "/posts/" + post.body().at("/post/id").asText(), shill, null).status(),
                "the shill left the feeds");
        Answer log = call("GET", "/modlog?limit=100", shill, null);
        assertEquals(200, log.status(), "the modlog is a read");
        List<String> actions = new ArrayList<>();
        log.body().path("data").forEach(e -> {
            if (shillName.equals(e.path("agent").asText())) {
                actions.add(e.path("action").asText() + " " + e.path("rule").asText());
            }
        });
        actions.sort(Comparator.naturalOrder()); // one decision's two events share its time
        assertEquals(List.of("agent-suspended repeated-offences", "content-hidden crypto-promotion"), actions,
                log.body().toString());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(local.stack.gatewayUrl() + "/modlog"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(shillName), "the public modlog page names it");
        assertFalse(page.body().contains("REEF"), "and never repeats the content");
    }

    /**
     * Moderation decides each event once: a burst of shills with moderation-service killed in its middle and started
     * again (the consumer redelivers what it had not committed; the decisions' dedupe drops it), then a replay of
     * its projection from offset 0 beside the live one (rebuilt equals live, and the replay decides nothing).
     */
    @Test
    @Order(17)
    void moderationDecidesEachEventOnceThroughACrashMidBurstAndAReplay() throws Exception {
        String burst = "Buy $KELP at presale before the pump, 100x";
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            if (i == 8) {
                stack.crash(Stack.MODERATION);
            }
            String key = register(unique("bu_"));
            Answer post = call("POST", "/posts", key, LocalStack.JSON.writeValueAsString(Map.of("submolt", "general",
                    "title", "Presale " + i, "content", burst)));
            assertEquals(201, post.status(), String.valueOf(post.body()));
            ids.add(post.body().at("/post/id").asText());
        }
        stack.start(Stack.MODERATION, Map.of());
        String targets = "('" + String.join("','", ids) + "')";
        String hidden = "SELECT count(*) FROM decision WHERE kind = 'content-hidden' AND target_id IN " + targets;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (moderationCount(hidden) < ids.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(ids.size(), moderationCount(hidden), "every shill hidden, once");
        String agents = "SELECT agent_id FROM decision WHERE kind = 'content-hidden' AND target_id IN " + targets;
        assertEquals(ids.size(), moderationCount("SELECT count(*) FROM decision WHERE kind = 'agent-suspended'"
                + " AND agent_id IN (" + agents + ")"), "each author suspended once");
        assertEquals(2L * ids.size(), moderationCount("SELECT count(*) FROM outbox WHERE subject IN (SELECT"
                + " agent_id::text FROM decision WHERE target_id IN " + targets + ")"), "two decisions per shill, no more");

        long decisions = moderationCount("SELECT count(*) FROM outbox");
        assertTrue(stack.replay(Stack.MODERATION, System.out), "the rebuilt signals equal the live ones");
        Thread.sleep(1000);
        assertEquals(decisions, moderationCount("SELECT count(*) FROM outbox"), "a replay decides nothing");
    }

    /**
     * A submolt's owner removes a post there and bans its author, who then gets 403 BANNED posting there (and not
     * elsewhere); a stranger can do neither; the owner restores the post and lifts the ban.
     */
    @Test
    @Order(18)
    void submoltOwnersRemoveRestoreAndBanInTheirSubmoltOnly() throws Exception {
        String ownerKey = register(unique("mo_"));
        String name = unique("kelp-").replace('_', '-');
        assertEquals(201, call("POST", "/submolts", ownerKey, "{\"name\":\"" + name + "\"}").status());
        String writerName = unique("mw_");
        String writerKey = register(writerName);
        String strangerKey = register(unique("ms_"));
        await("/submolts/" + name, writerKey, "/submolt/name", name);
        Answer post = call("POST", "/posts", writerKey, "{\"submolt\":\"" + name + "\",\"title\":\"kelp\","
                + "\"content\":\"on kelp\"}");
        assertEquals(201, post.status(), String.valueOf(post.body()));
        String id = post.body().at("/post/id").asText();
        String reason = "{\"reason\":\"off topic\"}";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer removed;
        do { // moderation-service learns the post from the log
            removed = call("POST", "/posts/" + id + "/remove", ownerKey, reason);
        } while (removed.status() == 404 && System.nanoTime() < deadline && sleep(50));
        assertEquals(403, call("POST", "/posts/" + id + "/restore", strangerKey, reason).status());
        assertEquals(200, removed.status(), String.valueOf(removed.body()));
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (call("GET", "/posts/" + id, strangerKey, null).status() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(404, call("GET", "/posts/" + id, strangerKey, null).status(), "removed from the feeds");
        assertEquals(200, call("POST", "/posts/" + id + "/restore", ownerKey, reason).status());
        await("/posts/" + id, strangerKey, "/post/title", "kelp");

        String ban = LocalStack.JSON.writeValueAsString(Map.of("agent_name", writerName, "reason", "spam"));
        assertEquals(403, call("POST", "/submolts/" + name + "/bans", strangerKey, ban).status(), "not a moderator");
        assertEquals(200, call("POST", "/submolts/" + name + "/bans", ownerKey, ban).status());
        Answer refused;
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do { // post-service learns the ban from the log; the writer's comments there are refused then
            refused = call("POST", "/posts/" + id + "/comments", writerKey, "{\"content\":\"still here\"}");
        } while (refused.status() != 403 && System.nanoTime() < deadline && sleep(100));
        assertEquals(403, refused.status(), String.valueOf(refused.body()));
        assertEquals("BANNED", refused.body().path("code").asText());
        assertEquals(403, call("DELETE", "/submolts/" + name + "/bans/" + writerName, strangerKey, null).status());
        assertEquals(200, call("DELETE", "/submolts/" + name + "/bans/" + writerName, ownerKey, null).status());
    }

    /**
     * Verification challenges through the whole stack: an agent moderation ordered challenged (the order published as
     * moderation-service publishes it) gets a puzzle for its post, which stays out of the feeds until the agent
     * answers right; a wrong answer is 400 with a hint, a code it was not given 404, a used one 409; another agent
     * who was never flagged is never challenged.
     */
    @Test
    @Order(19)
    void aFlaggedAgentsPostStaysOutOfTheFeedsUntilItSolvesItsChallenge() throws Exception {
        String flaggedKey = register(unique("vf_"));
        String otherKey = register(unique("vo_"));
        java.util.UUID agent = java.util.UUID.fromString(call("GET", "/agents/me", flaggedKey, null).body()
                .at("/agent/id").asText());
        try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> p =
                     new org.apache.kafka.clients.producer.KafkaProducer<>(stack.kafka().clientConfig(
                             Stack.MODERATION), new org.apache.kafka.common.serialization.StringSerializer(),
                             new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var order = new dev.shoal.events.ModerationEvent.ChallengesRequired(UUID.randomUUID(), agent,
                    java.time.Instant.now().plus(Duration.ofHours(1)), null, "moderator", "posts like a script",
                    List.of());
            p.send(CloudEventHeaders.toRecord(Topic.MODERATION.id(), dev.shoal.events.EventEnvelope.of(order,
                    "human:e2e", "e2e", java.time.Instant.now(), 1))).get();
        }
        // post-service learns the order from the log (its known-agents projection, in the read schema of its build)
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (postCount("SELECT count(*) FROM " + dev.shoal.post.projection.KnownAgents.READ_SCHEMA
                + ".challenge_order WHERE agent_id = '" + agent + "'") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Answer created = call("POST", "/posts", flaggedKey, LocalStack.JSON.writeValueAsString(Map.of("submolt",
                "general", "title", "A careful post " + UUID.randomUUID(), "content", "held back until solved")));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        assertTrue(created.body().path("verification_required").asBoolean(), String.valueOf(created.body()));
        String id = created.body().at("/post/id").asText();
        String code = created.body().at("/verification/verification_code").asText();
        String puzzle = created.body().at("/verification/challenge_text").asText();

        Answer unflagged = call("POST", "/posts", otherKey, LocalStack.JSON.writeValueAsString(Map.of("submolt",
                "general", "title", "Plain " + UUID.randomUUID(), "content", "never challenged")));
        assertEquals(201, unflagged.status());
        assertTrue(unflagged.body().path("verification_required").isMissingNode(), String.valueOf(unflagged.body()));
        String plainId = unflagged.body().at("/post/id").asText();
        await("/posts/" + plainId, otherKey, "/post/id", plainId);
        assertEquals(404, call("GET", "/posts/" + id, otherKey, null).status(), "held back");
        assertFalse(call("GET", "/posts?sort=new&limit=50", otherKey, null).body().toString().contains(id),
                "out of the feed");

        String right = solve(puzzle);
        String wrong = new java.math.BigDecimal(right).add(java.math.BigDecimal.TEN).toPlainString();
        Answer missed = call("POST", "/verify", flaggedKey, LocalStack.JSON.writeValueAsString(Map.of(
                "verification_code", code, "answer", wrong)));
        assertEquals(400, missed.status(), String.valueOf(missed.body()));
        assertTrue(missed.body().path("hint").asText().contains("in a row: 1"), String.valueOf(missed.body()));
        assertEquals(404, call("POST", "/verify", otherKey, LocalStack.JSON.writeValueAsString(Map.of(
                "verification_code", code, "answer", right))).status(), "not its code");
        Answer solved = call("POST", "/verify", flaggedKey, LocalStack.JSON.writeValueAsString(Map.of(
                "verification_code", code, "answer", right)));
        assertEquals(200, solved.status(), puzzle + " -> " + right + ": " + solved.body());
        assertEquals(id, solved.body().path("content_id").asText());
        assertEquals(409, call("POST", "/verify", flaggedKey, LocalStack.JSON.writeValueAsString(Map.of(
                "verification_code", code, "answer", right))).status(), "used");
        await("/posts/" + id, otherKey, "/post/id", id);
    }

    /** Solves a verification puzzle as an agent would: reads the words through the noise, then does the sum. */
    static String solve(String puzzle) {
        List<String> ones = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen");
        List<String> tens = List.of("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                "ninety");
        String plain = puzzle.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z ]", "");
        List<Integer> numbers = new ArrayList<>();
        for (String word : plain.split(" +")) {
            if (ones.contains(word)) {
                numbers.add(ones.indexOf(word));
                continue;
            }
            for (int t = 2; t < tens.size(); t++) {
                if (word.startsWith(tens.get(t)) && (word.length() == tens.get(t).length()
                        || ones.subList(1, 10).contains(word.substring(tens.get(t).length())))) {
                    numbers.add(t * 10 + (word.length() == tens.get(t).length() ? 0
                            : ones.indexOf(word.substring(tens.get(t).length()))));
                }
            }
        }
        assertEquals(2, numbers.size(), "two numbers in " + puzzle + " (" + plain + ")");
        int a = numbers.get(0);
        int b = numbers.get(1);
        int answer = plain.contains("speeds up") ? a + b : plain.contains("takes away") ? a - b : a * b;
        return answer + ".00";
    }

    static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    static long postCount(String sql) throws Exception {
        try (java.sql.Connection c = stack.superuser(Stack.POST); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long moderationCount(String sql) throws Exception {
        try (java.sql.Connection c = stack.superuser(Stack.MODERATION); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(20)
    void privateMessagesAreReadByTheirTwoAgentsAloneAndNoFileOfTheStackHoldsAWordOfThem() throws Exception {
        String asker = unique("dm_a_");
        String asked = unique("dm_b_");
        String askerKey = register(asker);
        String askedKey = register(asked);
        String strangerKey = register(unique("dm_c_"));
        String first = "zq" + UUID.randomUUID().toString().replace("-", "") + " shall our humans meet?";
        String reply = "zq" + UUID.randomUUID().toString().replace("-", "") + " mine says Tuesday";

        Answer requested = call("POST", "/agents/dm/request", askerKey,
                JSON.writeValueAsString(Map.of("to", asked, "message", first)));
        assertEquals(201, requested.status(), String.valueOf(requested.body()));
        String conversation = requested.body().path("conversation_id").asText();
        Answer check = call("GET", "/agents/dm/check", askedKey, null);
        assertEquals(true, check.body().path("has_activity").asBoolean(), String.valueOf(check.body()));
        assertEquals(first, check.body().at("/requests/items/0/message_preview").asText());
        Answer home = call("GET", "/home", askedKey, null);
        assertEquals(200, home.status(), String.valueOf(home.body()));
        assertEquals(1, home.body().at("/your_direct_messages/pending_request_count").asInt(), String.valueOf(home.body()));
        assertTrue(home.body().path("your_account").isObject(), "the dashboard is still there");
        assertEquals(404, call("POST", "/agents/dm/requests/" + conversation + "/approve", strangerKey, null)
                .status(), "only the asked agent answers");
        assertEquals(200, call("POST", "/agents/dm/requests/" + conversation + "/approve", askedKey, null).status());
        assertEquals(201, call("POST", "/agents/dm/conversations/" + conversation + "/send", askedKey,
                JSON.writeValueAsString(Map.of("message", reply, "needs_human_input", true))).status());
        Answer read = call("GET", "/agents/dm/conversations/" + conversation, askerKey, null);
        assertEquals(200, read.status(), String.valueOf(read.body()));
        assertEquals(first, read.body().at("/messages/0/message").asText());
        assertEquals(reply, read.body().at("/messages/1/message").asText());
        assertTrue(read.body().at("/messages/1/needs_human_input").asBoolean());
        assertEquals(404, call("GET", "/agents/dm/conversations/" + conversation, strangerKey, null).status());
        assertEquals(404, call("POST", "/agents/dm/conversations/" + conversation + "/send", strangerKey,
                "{\"message\":\"me too\"}").status());
        for (int i = 0; i < 5; i++) { // refused requests cost nothing of the budget (three an hour here)
            assertEquals(400, call("POST", "/agents/dm/request", strangerKey,
                    JSON.writeValueAsString(Map.of("to", asker, "message", "short"))).status());
        }
        for (int i = 0; i < 3; i++) {
            String name = unique("dm_n_");
            register(name);
            assertEquals(201, call("POST", "/agents/dm/request", strangerKey, JSON.writeValueAsString(Map.of(
                    "to", name, "message", "hello, new agent"))).status());
        }
        Answer over = call("POST", "/agents/dm/request", strangerKey, JSON.writeValueAsString(Map.of("to", asked,
                "message", "one request too many")));
        assertEquals(429, over.status(), String.valueOf(over.body()));
        assertEquals(0, call("GET", "/agents/dm/conversations", strangerKey, null).body()
                .at("/conversations/count").asInt());

        // Every file of the stack: Kafka's log segments (uncompressed), PostgreSQL's tables and write-ahead log, and
        // every service's log. The agents' names are there in clear, which shows the search finds what is there.
        awaitPublished(Stack.IDENTITY);
        local.assertNowhereInClear("a private message", asked, marker(first), marker(reply));

        // The keys are not on the log: a restore that would drop them is refused, and changes nothing.
        dev.shoal.launcher.LaunchException refused = org.junit.jupiter.api.Assertions.assertThrows(
                dev.shoal.launcher.LaunchException.class, () -> stack.restore(Stack.IDENTITY, true, System.out));
        assertTrue(refused.getMessage().contains("data_key"), refused.getMessage());
        assertEquals(200, call("GET", "/agents/dm/conversations/" + conversation, askedKey, null).status());

        // The operator rotates the key-encryption key under the running stack: the messages still open.
        String kek = stack.rotateKeys(System.out);
        assertTrue(Files.readString(dir.resolve("keys/identity-service.kek")).contains(kek + " "));
        assertEquals(reply, call("GET", "/agents/dm/conversations/" + conversation, askerKey, null).body()
                .at("/messages/1/message").asText());

        // The asker erases itself: its key dies at once, its messages read [erased] to the other agent, whose own
        // stay readable; a rebuild of every projection from offset 0 keeps it erased.
        Answer erased = call("DELETE", "/agents/me", askerKey, null);
        assertEquals(200, erased.status(), String.valueOf(erased.body()));
        assertEquals(401, call("GET", "/agents/dm/check", askerKey, null).status(), "its key died with it");
        Answer after = call("GET", "/agents/dm/conversations/" + conversation, askedKey, null);
        assertEquals("[erased]", after.body().at("/messages/0/message").asText(), String.valueOf(after.body()));
        assertEquals(reply, after.body().at("/messages/1/message").asText());
        assertEquals(410, call("POST", "/agents/dm/conversations/" + conversation + "/send", askedKey,
                "{\"message\":\"hello?\"}").status());
        awaitProfile(asker, askedKey, "/agent/status", "erased");
        assertTrue(stack.replay(Stack.FEED, System.out), "feed-service's rebuild equals its live projection");
        assertTrue(stack.replay(Stack.GATEWAY, System.out), "the gateway's rebuild equals its live projection");
        assertEquals("erased", call("GET", "/agents/profile?name=" + asker, askedKey, null).body()
                .at("/agent/status").asText());
        assertEquals(401, call("GET", "/agents/me", askerKey, null).status(), "still dead after the rebuilds");
        assertEquals("[erased]", call("GET", "/agents/dm/conversations/" + conversation, askedKey, null).body()
                .at("/messages/0/message").asText());
    }

    static byte[] marker(String text) {
        return text.substring(0, 34).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }


    static void assertFresh(Answer a, String pointer, String expected) {
        assertEquals(200, a.status(), String.valueOf(a.body()));
        assertEquals(expected, a.body().at(pointer).asText(), pointer + " in " + a.body());
    }

    /** The status of the first answer that is not a 503, trying for up to a minute. */
    static int awaitNot503(String method, String path, String key, String body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status;
        while ((status = call(method, path, key, body).status()) == 503 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return status;
    }

    static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.get(lines.size() - 1);
    }

    /** What {@code ./services audit verify} says, and whether everything held. */
    record Verified(boolean holds, String said) {
    }

    static Verified auditVerify() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        boolean holds = stack.auditVerify(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String said = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        System.out.println(said);
        return new Verified(holds, said);
    }

    /**
     * The audit: after all the traffic above, every record on the broker is the one audit-service's signed
     * checkpoints committed to. Then an attacker's moves, each found and named: a checkpoint altered in the file off
     * the broker (its signature fails, and the file forks from the topic), and a partition truncated on the broker
     * with {@code deleteRecords} (its first bad offset is 0). Last, because the broker stays truncated.
     */
    @Test
    @Order(21)
    void theAuditFindsTheLogAsSignedAndNamesWhatWasTamperedWith() throws Exception {
        for (int i = 0; i < 9; i++) {
            register(unique("audited_"));
        }
        String asked = unique("audit_dm_");
        register(asked);
        assertEquals(201, call("POST", "/agents/dm/request", register(unique("audit_asker_")),
                JSON.writeValueAsString(Map.of("to", asked, "message", "A private hello for the audit test"))).status());
        for (String service : List.of(Stack.IDENTITY, Stack.POST, Stack.MODERATION)) {
            awaitPublished(service);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Verified clean = auditVerify();
        while (!clean.said().contains(" 0 records are newer than the latest checkpoint") && System.nanoTime() < deadline) {
            Thread.sleep(1000); // the index catches up and signs: then nothing is left unsigned
            clean = auditVerify();
        }
        assertTrue(clean.holds(), clean.said());
        assertTrue(clean.said().contains(" 0 records are newer"), "a checkpoint covers the whole log: " + clean.said());
        // the public key kept apart (--key): the right one holds; another key vouches for none of the checkpoints
        Path keptApart = dir.resolve("audit-key-copy.pem");
        Files.writeString(keptApart, stack.auditPublicKey());
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        assertTrue(stack.auditVerify(keptApart, new java.io.PrintStream(said, true)), said.toString());
        Path stranger = dir.resolve("stranger-key.pem");
        Files.writeString(stranger, dev.shoal.events.audit.Checkpoint.pem(java.security.KeyPairGenerator
                .getInstance("Ed25519").generateKeyPair().getPublic()));
        said.reset();
        assertFalse(stack.auditVerify(stranger, new java.io.PrintStream(said, true)));
        assertTrue(said.toString().contains("its signature is not the audit key's"), said.toString());

        // The file off the broker: one checkpoint's size changed by hand (audit-service stopped meanwhile, so the
        // file is not appended to while it is rewritten; it picks up where it was when it starts again).
        stack.crash(Stack.AUDIT);
        Path file = stack.auditCheckpointFile();
        List<String> lines = Files.readAllLines(file);
        String original = lines.get(lines.size() - 1);
        JsonNode last = JSON.readTree(original);
        ((com.fasterxml.jackson.databind.node.ObjectNode) last.path("heads").get(0)).put("size",
                last.path("heads").get(0).path("size").asLong() + 1);
        lines.set(lines.size() - 1, JSON.writeValueAsString(last));
        Files.write(file, lines);
        Verified forged = auditVerify();
        assertFalse(forged.holds());
        long sequence = last.path("sequence").asLong();
        assertTrue(forged.said().contains("checkpoint " + sequence + ": forks"), forged.said());
        assertTrue(forged.said().contains("checkpoint " + sequence + ": its signature is not the audit key's"),
                forged.said());
        lines.set(lines.size() - 1, original);
        Files.write(file, lines);
        assertTrue(auditVerify().holds(), "the file as it was holds again");

        // audit-service's tables lost and rebuilt from the log: the checkpoints come back from the topic as they
        // were (never signed anew), the rebuilt trees must give their roots, and the next one follows them.
        try (java.sql.Connection c = stack.superuser(Stack.AUDIT); java.sql.Statement st = c.createStatement()) {
            st.execute("DO $$ DECLARE t record; BEGIN FOR t IN SELECT tablename FROM pg_tables WHERE schemaname ="
                    + " 'public' LOOP EXECUTE 'DROP TABLE public.' || quote_ident(t.tablename) || ' CASCADE'; END LOOP;"
                    + " END $$");
        }
        stack.start(Stack.AUDIT, Map.of());
        register(unique("after_rebuild_"));
        long deadline2 = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (JSON.readTree(lastLine(file)).path("sequence").asLong() <= sequence
                && System.nanoTime() < deadline2) {
            Thread.sleep(500);
        }
        assertTrue(JSON.readTree(lastLine(file)).path("sequence").asLong() > sequence, "signing went on");
        Verified rebuilt = auditVerify();
        assertTrue(rebuilt.holds(), rebuilt.said());
        // ./services replay audit-service: the index built again beside the live one, from offset 0, equals it
        java.io.ByteArrayOutputStream replayed = new java.io.ByteArrayOutputStream();
        assertTrue(stack.replay(Stack.AUDIT, new java.io.PrintStream(replayed, true)), replayed.toString());
        assertTrue(replayed.toString().contains("audit index EQUAL: "), replayed.toString());

        // An auditor's export (here: every request for a private conversation) verifies offline with the public key alone; the
        // messages in it are ciphertext; the documented one-liner that flips a byte is named at its event.
        java.io.ByteArrayOutputStream exported = new java.io.ByteArrayOutputStream();
        stack.auditExport(List.of("type=shoal.conversation.requested.v1"), new java.io.PrintStream(exported, true,
                java.nio.charset.StandardCharsets.UTF_8));
        Path export = dir.resolve("export.ndjson");
        Files.write(export, exported.toByteArray());
        List<String> exportLines = Files.readAllLines(export);
        assertTrue(exportLines.size() > 1, "the request above is in it");
        for (String line : exportLines.subList(1, exportLines.size())) {
            String value = new String(java.util.Base64.getDecoder().decode(JSON.readTree(line).path("value").asText()),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(value.contains("\"ciphertext\""), "a message is exported sealed: " + value);
        }
        java.io.ByteArrayOutputStream checked = new java.io.ByteArrayOutputStream();
        assertTrue(stack.auditVerifyExport(export, new java.io.PrintStream(checked, true)), checked.toString());
        Process tamper = new ProcessBuilder("sed", "-i", "2s/\"value\":\"eyJ/\"value\":\"eyK/", export.toString())
                .inheritIO().start();
        assertEquals(0, tamper.waitFor());
        checked.reset();
        assertFalse(stack.auditVerifyExport(export, new java.io.PrintStream(checked, true)));
        String eventId = JSON.readTree(exportLines.get(1)).path("event_id").asText();
        assertTrue(checked.toString().contains("(line 2, event " + eventId + "): its bytes are not the record's"),
                checked.toString());

        // The broker: the first records of a partition deleted.
        TopicPartition victim = null;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(stack.kafka().clientConfig(KafkaBroker.ADMIN),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (var p : c.partitionsFor("shoal.identity")) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                if (c.endOffsets(List.of(tp)).get(tp) > 2) {
                    victim = tp;
                    break;
                }
            }
        }
        assertNotNull(victim, "the registrations above are on the log");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                stack.kafka().clientConfig(KafkaBroker.ADMIN))) {
            admin.deleteRecords(Map.of(victim, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(2)))
                    .all().get();
        }
        Verified truncated = auditVerify();
        assertFalse(truncated.holds());
        assertTrue(truncated.said().contains(victim + "@0: records 0 to 1 are gone from the broker"), truncated.said());
    }

    /**
     * The broker's own disk rewritten while it was stopped, in batches Kafka takes as valid (checksums computed anew,
     * indexes rebuilt when it starts): a value's byte flipped, a header's byte flipped, two records swapped, a record
     * deleted leaving its offset empty, a record deleted with the later ones renumbered, a record inserted. Each on a
     * partition of its own, each named at its first bad offset by one run of the verifier. After the truncation above.
     */
    @Test
    @Order(22)
    void theBrokersDiskRewrittenWithValidBatchesIsNamedAtTheFirstBadOffset() throws Exception {
        // records on many partitions: agents registering, posting in a submolt, voting on each other's posts
        String owner = register(unique("tamper_owner_"));
        String submolt = unique("tampered");
        assertEquals(201, call("POST", "/submolts", owner, "{\"name\":\"" + submolt + "\"}").status());
        List<String> keys = new ArrayList<>();
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            String key = register(unique("tamper_"));
            keys.add(key);
            Answer posted = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            do { // post-service learns of new agents from the log
                posted = call("POST", "/posts", key, "{\"submolt\":\"" + submolt + "\",\"title\":\"Signed " + i
                        + "\",\"content\":\"for the broker's disk\"}");
            } while (posted.status() != 201 && System.nanoTime() < deadline);
            assertEquals(201, posted.status(), String.valueOf(posted.body()));
            posts.add(posted.body().at("/post/id").asText());
        }
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(200, call("POST", "/posts/" + posts.get((i + 1) % posts.size()) + "/upvote", keys.get(i),
                    null).status());
        }
        // partitions a checkpoint signed at least four records of; the one truncated above is left aside
        List<TopicPartition> victims = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (victims.size() < 6 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            victims.clear();
            JsonNode latest = JSON.readTree(lastLine(stack.auditCheckpointFile()));
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(stack.kafka().clientConfig(KafkaBroker.ADMIN),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                for (JsonNode h : latest.path("heads")) {
                    TopicPartition tp = new TopicPartition(h.path("topic").asText(), h.path("partition").asInt());
                    if (h.path("size").asLong() >= 4 && !tp.topic().equals(dev.shoal.events.Topic.DEAD_LETTERS)
                            && c.beginningOffsets(List.of(tp)).get(tp) == 0) {
                        victims.add(tp);
                    }
                }
            }
        }
        assertTrue(victims.size() >= 6, "six partitions with signed records: " + victims);
        List<String> cases = List.of("value", "header", "swap", "gap", "renumbered", "inserted");
        stack.stopBroker(System.out);
        try {
            for (int i = 0; i < cases.size(); i++) {
                TopicPartition tp = victims.get(i);
                String how = cases.get(i);
                BrokerDisk.rewrite(stack.kafka().partitionDir(tp.topic(), tp.partition()), p -> {
                    switch (how) {
                        case "value" -> p.flipValueByte(1);
                        case "header" -> p.flipHeaderByte(1);
                        case "swap" -> p.swapWithNext(1);
                        case "gap" -> p.deleteLeavingAGap(1);
                        case "renumbered" -> p.deleteAndRenumber(1);
                        default -> p.insert(1, "{\"never\":\"written by Shoal\"}".getBytes(
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                });
            }
        } finally {
            stack.startBroker(System.out);
        }
        Verified rewritten = auditVerify();
        assertFalse(rewritten.holds());
        for (int i = 0; i < cases.size(); i++) {
            String expected = victims.get(i) + "@1: " + (cases.get(i).equals("gap")
                    ? "offset 1 is missing (the next record is at 2)" : "differs from the record checkpoint");
            assertTrue(rewritten.said().contains(expected), cases.get(i) + ": " + expected + " in " + rewritten.said());
        }
    }
}
