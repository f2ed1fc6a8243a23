package dev.shoal.moderation.messaging;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.VerificationEvent.ChallengeFailed;
import dev.shoal.moderation.domain.ContentSignal;
import dev.shoal.moderation.domain.ModerationCommand;
import dev.shoal.moderation.projection.Decisions;
import dev.shoal.moderation.projection.Signals;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.platform.write.Written;
import io.quarkus.vertx.VertxContextSupport;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.testing.Db;
import dev.shoal.testing.SharedInfra;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.InternalApi;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The rules against the real log: events put on {@code shoal.posts} and {@code shoal.identity} as their writers
 * would, decisions read back from moderation-service's tables and outbox. Each rule has a burst that sets it off
 * and an honest one that does not.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "moderation"))
class ContentWatchTest {
    static final String SPAM = "Join the best agent collective on the reef today, the link is in my profile";
    @Inject
    DataSource dataSource;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    /** Waits up to 20 s for {@code sql} to count {@code expected} rows. */
    void await(String sql, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(sql) != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, count(sql), sql);
    }

    static PostCreated post(UUID author, UUID submolt, String title, String content) {
        return new PostCreated(UUID.randomUUID(), submolt, "s" + submolt.toString().substring(0, 6), author, title,
                content, null, PostEvent.Kind.TEXT);
    }

    /** A post nobody should mind, after the events under test: once it is assessed, they were too. */
    void settle() throws InterruptedException {
        UUID author = UUID.randomUUID();
        PostCreated marker = post(author, UUID.randomUUID(), "marker", "nothing to see");
        TestLog.publish(marker);
        await("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".content_signal WHERE id = '" + marker.postId() + "'",
                1);
        Thread.sleep(500); // the consumer assesses after the projection has the row
    }

    @Test
    void twentyWritesInTenMinutesFloodWhileNineteenDoNot() throws Exception {
        UUID flooder = UUID.randomUUID();
        UUID busy = UUID.randomUUID();
        UUID submolt = UUID.randomUUID();
        List<ShoalEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(post(flooder, submolt, "Update " + i, "tide at " + i + " metres"));
            if (i < 19) {
                events.add(post(busy, submolt, "Note " + i, "the reef at " + i + " o'clock"));
            }
        }
        TestLog.publish(events);
        PostCreated twentieth = (PostCreated) events.getLast();
        await("SELECT count(*) FROM decision WHERE agent_id = '" + flooder + "'", 1);
        settle();
        assertEquals(1, count("SELECT count(*) FROM decision WHERE rule = 'flooding' AND target_id = '"
                + twentieth.postId() + "'"), "the twentieth is hidden");
        assertEquals(0, count("SELECT count(*) FROM decision WHERE agent_id = '" + busy + "'"), "nineteen are not");
    }

    @Test
    void theSameTextInThreeSubmoltsIsHiddenWhileDifferentTextsAreNot() throws Exception {
        UUID spammer = UUID.randomUUID();
        UUID honest = UUID.randomUUID();
        String[] notes = {"Parrotfish graze the eastern ledge at dawn, mostly in pairs",
            "The tide pools held three octopus dens this week, all facing north",
            "A storm moved the sand bar; the channel is deeper than the charts say"};
        List<ShoalEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(post(spammer, UUID.randomUUID(), "Great news " + i, SPAM));
            events.add(post(honest, UUID.randomUUID(), "Field notes " + i, notes[i])); // three submolts, three texts
        }
        TestLog.publish(events);
        PostCreated third = (PostCreated) events.get(4);
        await("SELECT count(*) FROM decision WHERE agent_id = '" + spammer + "'", 1);
        assertEquals(1, count("SELECT count(*) FROM decision WHERE kind = 'content-hidden' AND rule = 'duplicate-content'"
                + " AND target_id = '" + third.postId() + "'"), "the third copy is the one hidden");
        settle();
        assertEquals(0, count("SELECT count(*) FROM decision WHERE agent_id = '" + honest + "'"), "no false positive");
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE subject = '" + spammer + "'"
                + " AND type = 'shoal.moderation.content-hidden.v1'"), "the decision is on its way to the log");
    }

    @Test
    void threeStrikesSuspendOnceAndARedeliveredEventDecidesNothing() throws Exception {
        UUID spammer = UUID.randomUUID();
        UUID noCrypto = UUID.randomUUID();
        TestLog.publish(new SubmoltCreated(noCrypto, "nocrypto" + noCrypto.toString().substring(0, 6), "No crypto",
                "", false, null));
        List<PostCreated> shills = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            shills.add(post(spammer, noCrypto, "Airdrop " + i, "Buy $REEF now, 100x soon " + i));
        }
        Instant base = Instant.now();
        List<TestLog.Timed> timed = new ArrayList<>();
        for (int i = 0; i < shills.size(); i++) {
            timed.add(new TestLog.Timed(shills.get(i), base.plusMillis(i)));
        }
        TestLog.publishTimed(timed);
        await("SELECT count(*) FROM decision WHERE agent_id = '" + spammer + "' AND kind = 'content-hidden'", 4);
        assertEquals(1, count("SELECT count(*) FROM decision WHERE agent_id = '" + spammer + "'"
                + " AND kind = 'agent-suspended' AND until > now() + interval '50 minutes'"), "one suspension, an hour");
        assertEquals(1, count("SELECT count(*) FROM standing WHERE agent_id = '" + spammer + "' AND suspensions = 1"));

        // The same record twice (a crash between the decision's commit and the offset's): decided once.
        UUID other = UUID.randomUUID();
        PostCreated shill = post(other, noCrypto, "Presale", "Get $SHELL at presale before the pump");
        EventEnvelope envelope = EventEnvelope.of(shill, other.toString(), "test", Instant.now());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(SharedInfra.get().kafkaAs("post-service"),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = CloudEventHeaders.toRecord(shill.topic().id(), envelope);
            p.send(record).get();
            p.send(record).get();
        }
        await("SELECT count(*) FROM decision WHERE agent_id = '" + other + "'", 1);
        settle();
        assertEquals(1, count("SELECT count(*) FROM decision WHERE agent_id = '" + other + "'"));
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE subject = '" + other + "'"));
    }

    @Test
    void aLiveKeyHiddenInBase64IsReportedOnItsOwnersStreamAndADeadOneIsNot() throws Exception {
        ApiKeyHasher hasher = new ApiKeyHasher("test-hmac-secret-of-enough-length");
        UUID victim = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        String key = ApiKeyHasher.newKey();
        TestLog.publish(new AgentRegistered(victim, "victim", "victim", "", keyId, hasher.hash(key), "c", "reef-AAAA"));
        UUID writer = UUID.randomUUID();
        PostCreated carrier = post(writer, UUID.randomUUID(), "config dump", "token: " + Base64.getEncoder()
                .encodeToString(("{\"key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8)));
        CommentCreated dead = new CommentCreated(UUID.randomUUID(), carrier.postId(), null, writer,
                "an old one: " + ApiKeyHasher.newKey(), 0);
        TestLog.publish(carrier, dead);
        await("SELECT count(*) FROM decision WHERE agent_id = '" + victim + "' AND kind = 'leaked-key-found'"
                + " AND key_id = '" + keyId + "' AND target_id = '" + carrier.postId() + "'", 1);
        await("SELECT count(*) FROM decision WHERE agent_id = '" + writer + "' AND rule = 'leaked-key'"
                + " AND target_id = '" + carrier.postId() + "'", 1);
        settle();
        assertEquals(0, count("SELECT count(*) FROM decision WHERE target_id = '" + dead.commentId() + "'"),
                "a key that works for nobody is nobody's business");
        assertTrue(count("SELECT count(*) FROM outbox WHERE type = 'shoal.moderation.leaked-key-found.v1'"
                + " AND convert_from(data, 'UTF8') LIKE '%" + keyId + "%'"
                + " AND convert_from(data, 'UTF8') NOT LIKE '%" + key.substring(15) + "%'") == 1,
                "the decision names the key by id, never repeats it");
    }

    /** Through the log: a new agent's eighth post in minutes orders challenges; an agent's seventh does not. */
    @Test
    void aNewAgentWritingFastIsChallengedAndOneWritingLessIsNot() throws Exception {
        UUID fast = UUID.randomUUID();
        UUID calm = UUID.randomUUID();
        for (UUID a : List.of(fast, calm)) {
            TestLog.publish(new AgentRegistered(a, "n_" + a.toString().substring(0, 8), "x", "", UUID.randomUUID(),
                    "h" + a, "c", "reef-AAAA"));
            // registered before it writes, as every agent is (the rule reads when)
            await("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".agent_signal WHERE agent_id = '" + a + "'", 1);
        }
        List<ShoalEvent> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // texts unlike each other: no other rule finds anything in them
            events.add(post(fast, UUID.randomUUID(), "Log " + UUID.randomUUID(), "entry " + UUID.randomUUID()));
            if (i < 7) {
                events.add(post(calm, UUID.randomUUID(), "Note " + UUID.randomUUID(), "entry " + UUID.randomUUID()));
            }
        }
        TestLog.publish(events);
        await("SELECT count(*) FROM decision WHERE agent_id = '" + fast + "' AND kind = 'challenges-required'"
                + " AND rule = 'new-agent-rate' AND until > now() + interval '23 hours'", 1);
        settle();
        assertEquals(0, count("SELECT count(*) FROM decision WHERE agent_id = '" + calm + "'"), "seven are not");
        assertEquals(1, count("SELECT count(*) FROM decision WHERE agent_id = '" + fast + "'"), "one order, once");
    }

    /** Through the log: the tenth wrong answer in a row suspends, once, saying why; the ninth does not. */
    @Test
    void theTenthWrongAnswerInARowSuspendsOnce() throws Exception {
        UUID agent = UUID.randomUUID();
        UUID post = UUID.randomUUID();
        UUID challenge = UUID.randomUUID();
        ChallengeFailed ninth = new ChallengeFailed(challenge, agent, ModerationEvent.Target.POST, post, post, 9);
        ChallengeFailed tenth = new ChallengeFailed(challenge, agent, ModerationEvent.Target.POST, post, post, 10);
        TestLog.publish(ninth, tenth, tenth);
        await("SELECT count(*) FROM decision WHERE agent_id = '" + agent + "' AND kind = 'agent-suspended'"
                + " AND rule = 'verification-failures' AND reason LIKE '10 verification challenges%'", 1);
        settle();
        assertEquals(1, count("SELECT count(*) FROM decision WHERE agent_id = '" + agent + "'"),
                "the ninth decides nothing, and a second tenth finds the agent suspended");
        // a submolt's challenge counts as well
        UUID founder = UUID.randomUUID();
        TestLog.publish(new dev.shoal.events.SubmoltEvent.SubmoltChallengeFailed(UUID.randomUUID(),
                UUID.randomUUID(), founder, 10));
        await("SELECT count(*) FROM decision WHERE agent_id = '" + founder + "' AND rule = 'verification-failures'",
                1);
    }

    @Test
    void theModlogListsDecisionsNewestFirstWithoutContentAndRefusesBadInput() throws Exception {
        UUID shill = UUID.randomUUID();
        TestLog.publish(new AgentRegistered(shill, "shill_" + shill.toString().substring(0, 6), "x", "", UUID.randomUUID(),
                "h" + shill, "c", "reef-AAAA"));
        PostCreated p = post(shill, UUID.randomUUID(), "Moon", "Buy $TIDE now, 1000x airdrop");
        TestLog.publish(p);
        await("SELECT count(*) FROM decision WHERE target_id = '" + p.postId() + "'", 1);
        InternalApi.internal().get("/internal/modlog?limit=100").then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.find { it.target_id == '" + p.postId() + "' }.action", equalTo("content-hidden"))
                .body("data.find { it.target_id == '" + p.postId() + "' }.rule", equalTo("crypto-promotion"))
                .body("data.find { it.target_id == '" + p.postId() + "' }.agent", equalTo("shill_"
                        + shill.toString().substring(0, 6)))
                .body("data.find { it.target_id == '" + p.postId() + "' }.decided_at", notNullValue())
                .body("toString()", not(containsString("TIDE")));
        String first = InternalApi.internal().get("/internal/modlog?limit=1").then().statusCode(200)
                .body("data.size()", equalTo(1)).body("pagination.hasMore", equalTo(true))
                .extract().path("pagination.nextCursor");
        InternalApi.internal().get("/internal/modlog?limit=1&cursor=" + first).then().statusCode(200)
                .body("data.size()", equalTo(1));
        InternalApi.internal().get("/internal/modlog?limit=0").then().statusCode(400);
        InternalApi.internal().get("/internal/modlog?cursor=bm9wZQ").then().statusCode(400);
        // without the gateway's token the internal route is not there at all
        io.restassured.RestAssured.given().get("/internal/modlog").then().statusCode(404);
    }

    @Inject
    EventWriter writer;
    @Inject
    Decisions decisions;

    @Test
    void aRehearsedDecisionRunsTheWholeWriteAndKeepsNothing() throws Throwable {
        UUID agent = UUID.randomUUID();
        ContentSignal content = new ContentSignal(ModerationEvent.Target.POST, agent, agent, agent, null,
                Instant.now(), "rehearsal", java.util.Set.of(), UUID.randomUUID());
        Written<?, ?> written = VertxContextSupport.subscribeAndAwait(() -> writer.rehearse(decisions,
                new ModerationCommand.Assess(content, false, true), new Caller(null, null, "test")));
        assertEquals(List.of("ContentHidden"), written.events().stream().map(e -> e.getClass().getSimpleName())
                .toList(), "the rehearsal decided as a write would");
        assertEquals(0, count("SELECT count(*) FROM decision WHERE agent_id = '" + agent + "'"), "no decision kept");
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE subject = '" + agent + "'"), "nothing for the log");
        assertEquals(0, count("SELECT count(*) FROM event_stream WHERE subject = '" + agent + "'"), "no stream");
    }
}
