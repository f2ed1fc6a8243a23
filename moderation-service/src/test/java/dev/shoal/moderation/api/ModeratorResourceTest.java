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
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.moderation.projection.Signals;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Submolt moderators remove, restore and ban in their own submolt only, with a reason; everyone else is refused,
 * and bad input changes nothing.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "moderation"))
class ModeratorResourceTest {
    @Inject
    DataSource dataSource;

    final UUID owner = UUID.randomUUID();
    final UUID mod = UUID.randomUUID();
    final UUID author = UUID.randomUUID();
    final UUID stranger = UUID.randomUUID();
    final UUID submolt = UUID.randomUUID();
    final String name = "reef" + submolt.toString().substring(0, 6);
    final String authorName = "au_" + author.toString().substring(0, 6);
    final PostCreated post = new PostCreated(UUID.randomUUID(), submolt, name, author, "A post", "hello there", null,
            PostEvent.Kind.TEXT);
    final CommentCreated comment = new CommentCreated(UUID.randomUUID(), post.postId(), null, author, "a comment", 0);

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    void setUp() throws InterruptedException {
        TestLog.publish(new AgentRegistered(author, authorName, authorName, "", UUID.randomUUID(), "h" + author, "c",
                        "reef-AAAA"),
                new AgentRegistered(mod, "mo_" + mod.toString().substring(0, 6), "m", "", UUID.randomUUID(), "h" + mod,
                        "c", "reef-AAAA"),
                new SubmoltCreated(submolt, name, "Reef", "", false, owner), new SubmoltModeratorAdded(submolt, mod));
        TestLog.publish(post, comment);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String ready = "SELECT count(*) FROM " + Signals.READ_SCHEMA + ".content_signal WHERE id = '"
                + comment.commentId() + "' AND submolt_id IS NOT NULL";
        while (count(ready) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        while (count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".submolt_role WHERE submolt_id = '" + submolt
                + "'") < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void moderatorsRemoveAndRestoreInTheirSubmoltAndNobodyElseDoes() throws Exception {
        setUp();
        String remove = "/internal/moderation/posts/" + post.postId() + "/remove";
        as(stranger).body(Map.of("reason", "I dislike it")).post(remove).then().statusCode(403);
        as(author).body(Map.of("reason", "mine")).post(remove).then().statusCode(403);
        as(mod).body(Map.of()).post(remove).then().statusCode(400);
        as(mod).body(Map.of("reason", "x".repeat(501))).post(remove).then().statusCode(400);
        as(mod).body(Map.of("reason", " ")).post(remove).then().statusCode(400);
        as(mod).body(Map.of("reason", "leak " + dev.shoal.platform.security.ApiKeyHasher.newKey())).post(remove)
                .then().statusCode(400).body("code", equalTo("SECRET_DETECTED"));
        as(mod).body(Map.of("reason", "off topic")).post("/internal/moderation/posts/" + UUID.randomUUID()
                + "/remove").then().statusCode(404);
        as(mod).body(Map.of("reason", "off topic")).post("/internal/moderation/posts/nope/remove").then()
                .statusCode(404);
        as(mod).body(Map.of("reason", "off topic")).post("/internal/moderation/comments/" + post.postId()
                + "/remove").then().statusCode(404); // a post's id is no comment
        assertEquals(0, count("SELECT count(*) FROM decision WHERE target_id = '" + post.postId() + "'"),
                "refusals change nothing");

        as(mod).body(Map.of("reason", "off topic")).post(remove).then().statusCode(200)
                .body("message", equalTo("Post removed"));
        as(owner).body(Map.of("reason", "again")).post(remove).then().statusCode(409);
        assertEquals(1, count("SELECT count(*) FROM decision WHERE target_id = '" + post.postId()
                + "' AND kind = 'content-hidden' AND moderator = 'submolt-moderator' AND reason = 'off topic'"));
        String restore = "/internal/moderation/posts/" + post.postId() + "/restore";
        as(stranger).body(Map.of("reason", "fine")).post(restore).then().statusCode(403);
        as(owner).body(Map.of("reason", "it was on topic")).post(restore).then().statusCode(200);
        as(owner).body(Map.of("reason", "twice")).post(restore).then().statusCode(409);
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE type = 'shoal.moderation.content-restored.v1'"
                + " AND subject = '" + author + "' AND actor = '" + owner + "'"), "the log says who restored it");

        as(mod).body(Map.of("reason", "rude")).post("/internal/moderation/comments/" + comment.commentId()
                + "/remove").then().statusCode(200).body("message", equalTo("Comment removed"));
    }

    @Test
    void whatTheRulesHidSubmoltModeratorsCannotRestore() throws Exception {
        setUp();
        UUID shill = UUID.randomUUID();
        PostCreated ad = new PostCreated(UUID.randomUUID(), submolt, name, shill, "Moon", "Buy $CORAL, 100x airdrop",
                null, PostEvent.Kind.TEXT);
        TestLog.publish(ad);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM decision WHERE target_id = '" + ad.postId() + "'") == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        as(owner).body(Map.of("reason", "I allow it")).post("/internal/moderation/posts/" + ad.postId() + "/restore")
                .then().statusCode(403);
    }

    @Test
    void bansAreTheOwnersAndModeratorsOverMembersOnly() throws Exception {
        setUp();
        String bans = "/internal/moderation/submolts/" + name + "/bans";
        as(stranger).body(Map.of("agent_name", authorName, "reason", "spam")).post(bans).then().statusCode(403);
        as(mod).body(Map.of("agent_name", "mo_" + mod.toString().substring(0, 6), "reason", "me")).post(bans).then()
                .statusCode(400);
        as(mod).body(Map.of("reason", "who")).post(bans).then().statusCode(400);
        as(mod).body(Map.of("agent_name", "nobody_here", "reason", "spam")).post(bans).then().statusCode(404);
        as(mod).body(Map.of("agent_name", authorName, "reason", "spam")).post("/internal/moderation/submolts/nowhere"
                + "/bans").then().statusCode(404);
        as(mod).body(Map.of("agent_name", authorName.toUpperCase(), "reason", "spam")).post(bans).then()
                .statusCode(200);
        as(owner).body(Map.of("agent_name", authorName, "reason", "spam")).post(bans).then().statusCode(409);
        as(stranger).delete(bans + "/" + authorName).then().statusCode(403);
        as(owner).delete(bans + "/" + authorName).then().statusCode(200);
        as(owner).delete(bans + "/" + authorName).then().statusCode(404);
        assertEquals(1, count("SELECT count(*) FROM decision WHERE agent_id = '" + author + "' AND submolt_id = '"
                + submolt + "' AND kind = 'submolt-ban-lifted'"));
    }
}
