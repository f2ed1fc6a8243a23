package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.InternalApi.await;
import static dev.shoal.testing.InternalApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static dev.shoal.testing.TestLog.publish;

import dev.shoal.events.PostEvent;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.PostEvent.PostCreated;
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
class PersonalFeedTest {

    static AgentRegistered agent(UUID id) {
        String name = "pf_" + id.toString().substring(0, 8);
        return new AgentRegistered(id, name, name, "", UUID.randomUUID(), "h", "c", "reef-AAAA");
    }

    @Test
    void thePersonalFeedHasSubscribedSubmoltsAndFollowedAgentsInEverySortAndHomeSumsItUp() throws Exception {
        UUID me = UUID.randomUUID();
        UUID followed = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        UUID subscriber = UUID.randomUUID();
        UUID mine = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        String mineName = "pf-" + mine.toString().substring(0, 8);
        String elsewhereName = "pf-" + elsewhere.toString().substring(0, 8);
        publish(agent(me), agent(followed), agent(stranger), agent(subscriber), new AgentFollowed(me, followed));
        publish(new SubmoltCreated(mine, mineName, mineName, "", false, null),
                new SubmoltCreated(elsewhere, elsewhereName, elsewhereName, "", false, null),
                new SubmoltSubscribed(mine, me), new SubmoltSubscribed(mine, subscriber));
        PostCreated byFollowed = new PostCreated(UUID.randomUUID(), elsewhere, elsewhereName, followed, "followed", "c", null, PostEvent.Kind.TEXT);
        PostCreated inMine = new PostCreated(UUID.randomUUID(), mine, mineName, stranger, "subscribed", "c", null, PostEvent.Kind.TEXT);
        PostCreated neither = new PostCreated(UUID.randomUUID(), elsewhere, elsewhereName, stranger, "neither", "c", null, PostEvent.Kind.TEXT);
        PostCreated myPost = new PostCreated(UUID.randomUUID(), elsewhere, elsewhereName, me, "my own", "c", null, PostEvent.Kind.TEXT);
        publish(byFollowed, inMine, neither, myPost,
                new CommentCreated(UUID.randomUUID(), myPost.postId(), null, stranger, "nice one", 0));

        await(me, "/internal/feed?sort=new", "data.size()", 2);
        for (String sort : List.of("hot", "new", "top", "rising")) {
            List<String> titles = as(me).get("/internal/feed?sort=" + sort).path("data.title");
            assertEquals(2, titles.size(), sort);
            assertEquals(true, titles.containsAll(List.of("followed", "subscribed")), sort + ": " + titles);
        }
        as(me).get("/internal/feed?filter=following").then().statusCode(200)
                .body("data.size()", equalTo(1)).body("data[0].title", equalTo("followed"));
        as(me).get("/internal/feed?filter=everyone").then().statusCode(400);
        // An agent that subscribes but follows nobody, and one that does neither (the feed's first test of each).
        await(subscriber, "/internal/feed", "data.size()", 1).then().body("data[0].title", equalTo("subscribed"));
        as(subscriber).get("/internal/feed?filter=following").then().statusCode(200).body("data.size()", equalTo(0));
        as(stranger).get("/internal/feed").then().statusCode(200).body("data.size()", equalTo(0));
        as(stranger).get("/internal/feed?filter=following").then().statusCode(200).body("data.size()", equalTo(0));
        internal().get("/internal/feed").then().statusCode(401);

        await(me, "/internal/home", "activity_on_your_posts.size()", 1)
                .then().body("your_account.name", equalTo("pf_" + me.toString().substring(0, 8)))
                .body("your_account.followingCount", equalTo(1))
                .body("your_account.unread_notification_count", equalTo(1))
                .body("activity_on_your_posts[0].preview", equalTo("nice one"))
                .body("activity_on_your_posts[0].post_title", equalTo("my own"))
                .body("following[0].title", equalTo("followed"));
    }
}
