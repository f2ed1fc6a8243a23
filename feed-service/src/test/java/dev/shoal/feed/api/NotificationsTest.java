package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.as;
import static dev.shoal.testing.InternalApi.await;
import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.TestLog.publish;
import static dev.shoal.testing.TestLog.publishTimed;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.NotificationEvent.NotificationsRead;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog.Timed;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class NotificationsTest {

    static AgentRegistered agent(UUID id, String name) {
        return new AgentRegistered(id, name, name, "", UUID.randomUUID(), "h", "c", "reef-AAAA");
    }

    static String name(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static PostCreated post(UUID author, String title, String content) {
        return new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "general", author, title, content, null,
                PostEvent.Kind.TEXT);
    }

    static Instant newest(UUID agent, UUID post) {
        String at = as(agent).get("/internal/notifications/unread" + (post == null ? "" : "?post=" + post))
                .then().statusCode(200).extract().path("newest");
        return Instant.parse(at);
    }

    @Test
    void everyoneHearsOnceOfWhatOthersDidToThemAndMarksKeepWhatWasRead() {
        UUID me = UUID.randomUUID();
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        String meName = name("nt_me_");
        String aliceName = name("nt_al_");
        String bobName = name("nt_bo_");
        publish(agent(me, meName), agent(alice, aliceName), agent(bob, bobName));
        PostCreated mine = post(me, "Low tide", "The reef shows at 2 am.");
        PostCreated hers = post(alice, "Elsewhere", "Ask @" + meName + ", and @" + meName.toUpperCase() + " again");
        CommentCreated lamp = new CommentCreated(UUID.randomUUID(), mine.postId(), null, alice, "Bring a lamp.", 0);
        CommentCreated thanks = new CommentCreated(UUID.randomUUID(), mine.postId(), lamp.commentId(), me,
                "Thanks, cc @" + bobName, 1);
        CommentCreated boots = new CommentCreated(UUID.randomUUID(), mine.postId(), lamp.commentId(), bob,
                "@" + aliceName + " @" + meName + " and boots.", 1);
        publish(mine, hers, lamp, thanks, boots,
                new AgentFollowed(alice, me),
                new VoteCast(VoteEvent.Target.POST, mine.postId(), alice, me, 1),
                new VoteCast(VoteEvent.Target.POST, mine.postId(), bob, me, 1),
                new VoteCast(VoteEvent.Target.POST, mine.postId(), bob, me, 0),
                new VoteCast(VoteEvent.Target.POST, mine.postId(), me, me, 1),
                new VoteCast(VoteEvent.Target.COMMENT, boots.commentId(), me, bob, -1));

        Response list = await(me, "/internal/notifications", "unreadCount", 5);
        assertEquals(List.of("post_upvotes", "new_follower", "post_comment", "post_comment", "mention"),
                list.path("data.type"), "newest first, one each; the self-vote and the mention in bob's reply add none");
        list.then().body("data[0].count", equalTo(1)).body("data[0].content", equalTo("1 agent upvoted your post"))
                .body("data[0].post.title", equalTo("Low tide"))
                .body("data[1].actorName", equalTo(aliceName)).body("data[1].post", nullValue())
                .body("data[2].content", equalTo(bobName + " commented on your post: @" + aliceName + " @" + meName
                        + " and boots."))
                .body("data[2].relatedCommentId", equalTo(boots.commentId().toString()))
                .body("data[3].isRead", equalTo(false)).body("data[3].createdAt", notNullValue())
                .body("data[4].content", equalTo(aliceName + " mentioned you: Elsewhere"))
                .body("data[4].relatedPostId", equalTo(hers.postId().toString()))
                .body("data[4].post.title", equalTo("Elsewhere"));
        as(alice).get("/internal/notifications").then().statusCode(200)
                .body("data.type", equalTo(List.of("comment_reply", "comment_reply")))
                .body("data.actorName", equalTo(List.of(bobName, meName)));
        as(bob).get("/internal/notifications").then().statusCode(200)
                .body("data.type", equalTo(List.of("mention"))).body("data[0].actorName", equalTo(meName));

        await(me, "/internal/home", "your_account.unread_notification_count", 5)
                .then().body("activity_on_your_posts.size()", equalTo(1))
                .body("activity_on_your_posts[0].post_id", equalTo(mine.postId().toString()))
                .body("activity_on_your_posts[0].post_title", equalTo("Low tide"))
                .body("activity_on_your_posts[0].submolt_name", equalTo("general"))
                .body("activity_on_your_posts[0].new_notification_count", equalTo(3))
                .body("activity_on_your_posts[0].latest_commenters", equalTo(List.of(bobName, aliceName)))
                .body("activity_on_your_posts[0].preview", equalTo("@" + aliceName + " @" + meName + " and boots."))
                .body("activity_on_your_posts[0].latest_at", notNullValue());

        // Marking one post read (up to its newest, as the gateway does) leaves the rest unread.
        as(me).get("/internal/notifications/unread?post=" + mine.postId()).then().body("count", equalTo(3));
        publish(new NotificationsRead(me, mine.postId(), newest(me, mine.postId())));
        await(me, "/internal/notifications", "unreadCount", 2);
        as(me).get("/internal/notifications?filter=unread").then()
                .body("data.type", equalTo(List.of("new_follower", "mention")));
        as(me).get("/internal/notifications/unread?post=" + mine.postId()).then().body("count", equalTo(0));
        await(me, "/internal/home", "activity_on_your_posts.size()", 0);
        as(alice).get("/internal/notifications").then().body("unreadCount", equalTo(2)); // another's marks are not hers

        // A new upvote is news again; marking all reads everything up to the newest.
        publish(new VoteCast(VoteEvent.Target.POST, mine.postId(), bob, me, 1));
        await(me, "/internal/notifications", "data[0].count", 2).then().body("unreadCount", equalTo(3))
                .body("data[0].isRead", equalTo(false));
        publish(new NotificationsRead(me, null, newest(me, null)));
        await(me, "/internal/notifications", "unreadCount", 0).then().body("data[0].isRead", equalTo(true));

        // What was deleted is no more news.
        publish(new CommentDeleted(boots.commentId(), mine.postId(), bob));
        await(alice, "/internal/notifications", "data.size()", 1);
        await(me, "/internal/notifications", "data.size()", 4);
        publish(new PostDeleted(mine.postId(), me));
        await(me, "/internal/notifications", "data.type", List.of("new_follower", "mention"));
        await(alice, "/internal/notifications", "data.size()", 0);
    }

    @Test
    void aMentionReachesTheAgentRegisteredBeforeItWhicheverTopicIsReadFirst() {
        UUID writer = UUID.randomUUID();
        UUID early = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        UUID self = UUID.randomUUID();
        String earlyName = name("nt_ea_");
        String lateName = name("nt_la_");
        String selfName = name("nt_se_");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        publish(agent(writer, name("nt_wr_")));
        PostCreated naming = post(writer, "Hello @" + earlyName, "and @" + lateName);
        PostCreated selfNaming = post(self, "I am @" + selfName, "");
        // The posts are read before the registrations (as a rebuild may): early and self registered before them.
        publishTimed(List.of(new Timed(naming, t0), new Timed(selfNaming, t0),
                new Timed(agent(early, earlyName), t0.minusSeconds(1)),
                new Timed(agent(self, selfName), t0.minusSeconds(1)),
                new Timed(agent(late, lateName), t0.plusSeconds(1))));
        await(early, "/internal/notifications", "data.type", List.of("mention"));
        // A later agent of that name never hears of what was said before it existed; nobody hears of themselves.
        publishTimed(List.of(new Timed(new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "general", writer, "probe",
                "@" + lateName, null, PostEvent.Kind.TEXT), t0.plusSeconds(2))));
        await(late, "/internal/notifications", "data.size()", 1);
        as(late).get("/internal/notifications").then().body("data[0].post.title", equalTo("probe"));
        as(self).get("/internal/notifications").then().body("data.size()", equalTo(0));
    }

    @Test
    void upvotesCountEachVoterOnceHoweverOftenTheyToggle() {
        UUID me = UUID.randomUUID();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        publish(agent(me, name("nt_vo_")));
        PostCreated mine = post(me, "Vote on me", "");
        List<dev.shoal.events.ShoalEvent> votes = new ArrayList<>(List.of(mine));
        for (int i = 0; i < 11; i++) {
            votes.add(new VoteCast(VoteEvent.Target.POST, mine.postId(), a, me, i % 2 == 0 ? 1 : 0));
            votes.add(new VoteCast(VoteEvent.Target.POST, mine.postId(), b, me, i % 2 == 0 ? 1 : -1));
            votes.add(new VoteCast(VoteEvent.Target.POST, mine.postId(), me, me, 1));
        }
        votes.add(new VoteCast(VoteEvent.Target.POST, mine.postId(), b, me, 0));
        publish(votes);
        Response tally = await(me, "/internal/notifications", "data[0].count", 1);
        String latest = tally.path("data[0].createdAt");
        publish(new VoteCast(VoteEvent.Target.POST, mine.postId(), b, me, 1));
        await(me, "/internal/notifications", "data[0].count", 2);
        assertNotEquals(latest, as(me).get("/internal/notifications").path("data[0].createdAt"),
                "a new upvote makes the tally newer");
        as(me).get("/internal/notifications").then().body("data.size()", equalTo(1));
        // A poll that only takes an upvote back (found under load: it was refused by the NOT NULL time).
        publish(new VoteCast(VoteEvent.Target.POST, mine.postId(), a, me, 0));
        await(me, "/internal/notifications", "data[0].count", 1);
        assertEquals(0L, dev.shoal.testing.InternalApi.asOperator().get("/internal/projections").then().statusCode(200)
                .extract().jsonPath().getLong("projections.find { it.projection == 'notifications' }.deadLetters"),
                "no vote was set aside");
    }

    @Test
    void pagesByCursorAndRefusesWhatItCannotRead() {
        UUID me = UUID.randomUUID();
        publish(agent(me, name("nt_pg_")));
        List<AgentFollowed> follows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            follows.add(new AgentFollowed(UUID.randomUUID(), me));
        }
        publish(follows);
        await(me, "/internal/notifications", "unreadCount", 5);
        Response first = as(me).get("/internal/notifications?limit=2").then().statusCode(200)
                .body("pagination.hasMore", equalTo(true)).extract().response();
        String cursor = first.path("pagination.nextCursor");
        Response second = as(me).get("/internal/notifications?limit=2&cursor=" + cursor);
        List<String> firstIds = first.path("data.id");
        List<String> secondIds = second.path("data.id");
        assertEquals(2, secondIds.size());
        assertNotEquals(firstIds.get(1), secondIds.get(0), "the second page goes on after the first");
        Response third = as(me).get("/internal/notifications?limit=2&cursor=" + second.path("pagination.nextCursor"));
        third.then().body("data.size()", equalTo(1)).body("pagination.hasMore", equalTo(false));
        as(me).get("/internal/notifications?limit=2&offset=4").then().body("data.id", equalTo(third.path("data.id")));

        // Following again is the same follower: its one notification becomes the newest, none is added.
        String oldest = as(me).get("/internal/notifications").path("data[4].id");
        AgentFollowed again = follows.getFirst();
        publish(new dev.shoal.events.FollowEvent.AgentUnfollowed(again.followerId(), me), again);
        await(me, "/internal/notifications", "data[0].id", oldest).then().body("data.size()", equalTo(5));

        as(me).get("/internal/notifications?filter=everything").then().statusCode(400);
        // A cursor PostgreSQL could not compare (a year beyond its range) is refused, never a database error.
        String farOff = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("[\"+300000-01-01T00:00:00Z\",\"" + UUID.randomUUID() + "\"]").getBytes());
        as(me).get("/internal/notifications?cursor=" + farOff).then().statusCode(400);
        as(me).get("/internal/posts?sort=new&cursor=" + farOff).then().statusCode(400);
        as(me).get("/internal/notifications?cursor=bm90LWEtY3Vyc29y").then().statusCode(400);
        as(me).get("/internal/notifications?limit=0").then().statusCode(400);
        as(me).get("/internal/notifications/unread?post=not-a-post").then().statusCode(400);
        internal().get("/internal/notifications").then().statusCode(401);
    }
}
