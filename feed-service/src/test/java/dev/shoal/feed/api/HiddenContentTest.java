package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.await;
import static dev.shoal.testing.InternalApi.internal;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What moderation hides leaves the feeds, the post pages and search, in whatever order the decision and the content
 * arrive (two topics), and comes back when the decision is reversed; comment counts follow.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class HiddenContentTest {
    static ContentHidden hide(Target type, UUID target, UUID post, UUID author) {
        return new ContentHidden(UUID.randomUUID(), author, type, target, post, "duplicate-content", null, "spam",
                List.of());
    }

    @Test
    void hiddenPostsLeaveFeedsAndSearchAndComeBackWhenRestored() {
        UUID author = UUID.randomUUID();
        String word = "kelp" + UUID.randomUUID().toString().substring(0, 6);
        PostCreated post = new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "general", author, "About " + word,
                "the " + word + " forest", null, PostEvent.Kind.TEXT);
        TestLog.publish(post);
        await("/internal/posts/" + post.postId(), "post.title", "About " + word);
        ContentHidden hidden = hide(Target.POST, post.postId(), post.postId(), author);
        TestLog.publish(hidden);
        awaitStatus("/internal/posts/" + post.postId(), 404);
        internal().get("/internal/search?q=" + word).then().statusCode(200).body("posts.size()", equalTo(0));
        internal().get("/internal/review/posts/" + post.postId()).then().statusCode(200) // a moderator still sees it
                .body("hidden", equalTo(true)).body("content", equalTo("the " + word + " forest"));
        internal().get("/internal/review/posts/" + UUID.randomUUID()).then().statusCode(404);
        TestLog.publish(new ContentRestored(UUID.randomUUID(), author, Target.POST, post.postId(), post.postId(),
                hidden.decisionId(), "moderator", "not spam"));
        await("/internal/posts/" + post.postId(), "post.title", "About " + word);
        internal().get("/internal/search?q=" + word).then().body("posts.size()", equalTo(1));
    }

    @Test
    void aDecisionReadBeforeItsContentStillHidesItAndCommentCountsFollow() {
        UUID author = UUID.randomUUID();
        UUID postId = UUID.randomUUID();
        CommentCreated early = new CommentCreated(UUID.randomUUID(), postId, null, author, "first", 0);
        CommentCreated kept = new CommentCreated(UUID.randomUUID(), postId, null, author, "second", 0);
        UUID latePost = UUID.randomUUID();
        // the decisions about a post and a comment come before them
        TestLog.publish(hide(Target.COMMENT, early.commentId(), postId, author),
                hide(Target.POST, latePost, latePost, author));
        TestLog.publish(new PostCreated(postId, UUID.randomUUID(), "general", author, "thread", "c", null,
                PostEvent.Kind.TEXT), early, kept, new PostCreated(latePost, UUID.randomUUID(), "general", author,
                "late", "c", null, PostEvent.Kind.TEXT));
        await("/internal/posts/" + postId, "post.commentCount", 1);
        awaitStatus("/internal/posts/" + latePost, 404);
        ContentHidden second = hide(Target.COMMENT, kept.commentId(), postId, author);
        TestLog.publish(second);
        await("/internal/posts/" + postId, "post.commentCount", 0);
        // deleting a hidden comment counts nothing twice; restoring a deleted one shows nothing
        TestLog.publish(new CommentDeleted(kept.commentId(), postId, author), new ContentRestored(UUID.randomUUID(),
                author, Target.COMMENT, kept.commentId(), postId, second.decisionId(), "moderator", "oops"));
        TestLog.publish(new CommentCreated(UUID.randomUUID(), postId, null, author, "third", 0));
        await("/internal/posts/" + postId, "post.commentCount", 1);
    }

    static void awaitStatus(String path, int status) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (internal().get(path).statusCode() != status && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        internal().get(path).then().statusCode(status);
    }
}
