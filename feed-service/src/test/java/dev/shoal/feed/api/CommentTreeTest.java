package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.InternalApi.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static dev.shoal.testing.TestLog.publish;

import dev.shoal.events.PostEvent;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.VoteEvent.VoteCast;
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
class CommentTreeTest {

    static List<VoteCast> votes(CommentCreated c, int ups, int downs) {
        List<VoteCast> v = new ArrayList<>();
        for (int i = 0; i < ups; i++) {
            v.add(new VoteCast(VoteEvent.Target.COMMENT, c.commentId(), UUID.randomUUID(), c.authorId(), 1));
        }
        for (int i = 0; i < downs; i++) {
            v.add(new VoteCast(VoteEvent.Target.COMMENT, c.commentId(), UUID.randomUUID(), c.authorId(), -1));
        }
        return v;
    }

    @Test
    void controversialAndBestRankAsCorrectedAndDeletedCommentsKeepTheirReplies() throws Exception {
        UUID post = UUID.randomUUID();
        UUID author = UUID.randomUUID();
        CommentCreated split = new CommentCreated(UUID.randomUUID(), post, null, author, "split", 0);
        CommentCreated lopsided = new CommentCreated(UUID.randomUUID(), post, null, author, "lopsided", 0);
        CommentCreated unanimous = new CommentCreated(UUID.randomUUID(), post, null, author, "unanimous", 0);
        CommentCreated reply = new CommentCreated(UUID.randomUUID(), post, split.commentId(), author, "reply", 1);
        CommentCreated deep = new CommentCreated(UUID.randomUUID(), post, reply.commentId(), author, "deep", 2);
        publish(List.of(new PostCreated(post, UUID.randomUUID(), "general", author, "thread", "c", null,
                PostEvent.Kind.TEXT), split, lopsided, unanimous, reply, deep));
        List<VoteCast> all = new ArrayList<>(votes(split, 10, 10));
        all.addAll(votes(lopsided, 10, 1));
        all.addAll(votes(unanimous, 5, 0));
        publish(all);
        String tree = "/internal/posts/" + post + "/comments";
        // every vote applied first: old order does not depend on votes
        await(tree + "?sort=old", "comments[0].upvotes", 10);
        await(tree + "?sort=old", "comments[0].downvotes", 10);
        await(tree + "?sort=old", "comments[1].upvotes", 10);
        await(tree + "?sort=old", "comments[1].downvotes", 1);
        await(tree + "?sort=old", "comments[2].upvotes", 5);

        List<String> controversial = internal().get(tree + "?sort=controversial").path("comments.content");
        assertEquals(List.of("split", "lopsided", "unanimous"), controversial, "(10,10) > (10,1) > (5,0) = 0");
        List<String> best = internal().get(tree + "?sort=best").path("comments.content");
        assertEquals(List.of("lopsided", "unanimous", "split"), best);
        List<String> top = internal().get(tree + "?sort=top").path("comments.content");
        assertEquals(List.of("lopsided", "unanimous", "split"), top);
        List<String> old = internal().get(tree + "?sort=old").path("comments.content");
        assertEquals(List.of("split", "lopsided", "unanimous"), old);
        internal().get(tree + "?sort=old").then().body("comments[0].replies[0].content", equalTo("reply"))
                .body("comments[0].replies[0].replies[0].content", equalTo("deep"))
                .body("comments[0].replies[0].replies[0].depth", equalTo(2));
        await("/internal/posts/" + post, "post.commentCount", 5);

        publish(List.of(new dev.shoal.events.AgentEvent.AgentRegistered(author, "ct_" + post.toString()
                .substring(0, 8), "ct", "", UUID.randomUUID(), "h", "c", "reef-AAAA")));
        String profile = "/internal/agents/profile?name=ct_" + post.toString().substring(0, 8);
        await(profile, "agent.commentCount", 5);
        internal().get(profile).then().body("recentComments.size()", equalTo(5))
                .body("recentComments[0].postTitle", equalTo("thread"));
        publish(List.of(new CommentDeleted(reply.commentId(), post, author)));
        await(tree + "?sort=old", "comments[0].replies[0].content", "[deleted]");
        internal().get(tree + "?sort=old").then().body("comments[0].replies[0].isDeleted", equalTo(true))
                .body("comments[0].replies[0].authorName", nullValue())
                .body("comments[0].replies[0].replies[0].content", equalTo("deep"));
        await("/internal/posts/" + post, "post.commentCount", 4);
        await(profile, "agent.commentCount", 4);
        internal().get("/internal/comments/" + split.commentId()).then().statusCode(200)
                .body("comment.content", equalTo("split")).body("comment.replies[0].replies[0].content", equalTo("deep"));

        internal().get(tree + "?sort=old&limit=2").then().body("comments.size()", equalTo(2))
                .body("pagination.hasMore", equalTo(true));
        internal().get(tree + "?sort=old&limit=2&offset=2").then().body("comments[0].content", equalTo("unanimous"))
                .body("pagination.hasMore", equalTo(false));
        internal().get(tree + "?sort=hot").then().statusCode(400);
        internal().get("/internal/posts/" + UUID.randomUUID() + "/comments").then().statusCode(404);
        internal().get("/internal/comments/" + UUID.randomUUID()).then().statusCode(404);
        internal().get("/internal/comments/nope").then().statusCode(404);

        // with its last reply deleted, a deleted comment has no place to keep: both leave the tree
        publish(List.of(new CommentDeleted(deep.commentId(), post, author)));
        await(tree + "?sort=old", "comments[0].replies.size()", 0);
        internal().get("/internal/comments/" + reply.commentId()).then().statusCode(200)
                .body("comment.content", equalTo("[deleted]"));
    }
}
