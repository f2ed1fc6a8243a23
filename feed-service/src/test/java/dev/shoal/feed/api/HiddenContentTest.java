package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.await;
import static dev.shoal.testing.InternalApi.internal;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.testing.Db;
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

    /**
     * A post waiting for its challenge is hidden from its creation on; a moderator's restore does not publish it,
     * the solved challenge does; a comment waiting for its challenge is neither counted nor notified until solved,
     * and a notification quoting a comment moderation hid is hidden with it.
     */
    @Test
    void contentWaitingForItsChallengeIsHiddenUntilSolvedAndHiddenCommentsAreNotNotified() {
        UUID author = UUID.randomUUID();
        UUID postId = UUID.randomUUID();
        UUID challenge = UUID.randomUUID();
        Instant expires = Instant.now().plusSeconds(300);
        TestLog.publish(new ContentChallenged(challenge, author, Target.POST, postId, postId, expires),
                new PostCreated(postId, UUID.randomUUID(), "general", author, "pending", "c", null,
                        PostEvent.Kind.TEXT));
        String reasons = reads.sql("SELECT count(*) FROM {read}.hidden_content WHERE target_id = '" + postId
                + "' AND reason = ");
        awaitCount(reasons + "'verification'", 1);
        ContentHidden hidden = hide(Target.POST, postId, postId, author);
        TestLog.publish(hidden);
        awaitCount(reasons + "'moderation'", 1);
        TestLog.publish(new ContentRestored(UUID.randomUUID(), author, Target.POST, postId, postId,
                hidden.decisionId(), "moderator", "fine"));
        awaitCount(reasons + "'moderation'", 0);
        internal().get("/internal/review/posts/" + postId).then().statusCode(200).body("hidden", equalTo(true));
        internal().get("/internal/posts/" + postId).then().statusCode(404);
        TestLog.publish(new CommentCreated(UUID.randomUUID(), postId, null, UUID.randomUUID(), "marker", 0));
        TestLog.publish(new ChallengePassed(challenge, author, Target.POST, postId, postId));
        await("/internal/posts/" + postId, "post.title", "pending");

        UUID replier = UUID.randomUUID();
        UUID pendingComment = UUID.randomUUID();
        UUID commentChallenge = UUID.randomUUID();
        CommentCreated shown = new CommentCreated(UUID.randomUUID(), postId, null, replier, "a visible reply", 0);
        TestLog.publish(new ContentChallenged(commentChallenge, replier, Target.COMMENT, pendingComment, postId,
                expires), new CommentCreated(pendingComment, postId, null, replier, "a held back reply", 0), shown);
        dev.shoal.testing.InternalApi.await(author, "/internal/notifications", "data.size()", 2).then()
                .body("data.content", everyItem(not(containsString("a held back reply"))));
        internal().get("/internal/posts/" + postId).then().body("post.commentCount", equalTo(2));
        String tree = "/internal/posts/" + postId + "/comments?sort=old";
        internal().get(tree).then().body("comments.content", equalTo(List.of("marker", "a visible reply")))
                .body("comments.id", not(hasItem(pendingComment.toString())));
        TestLog.publish(new ChallengePassed(commentChallenge, replier, Target.COMMENT, pendingComment, postId));
        await("/internal/posts/" + postId, "post.commentCount", 3);
        internal().get(tree).then().body("comments.content", hasItem("a held back reply"));
        dev.shoal.testing.InternalApi.await(author, "/internal/notifications", "data.size()", 3);
        TestLog.publish(hide(Target.COMMENT, shown.commentId(), postId, replier));
        dev.shoal.testing.InternalApi.await(author, "/internal/notifications", "data.size()", 2).then()
                .body("data.content", everyItem(not(containsString("a visible reply"))))
                .body("data.content", hasItem(containsString("a held back reply")));
        // a hidden comment leaves the tree, unless a reply holds its place: then it is [removed], without its author
        internal().get(tree).then().body("comments.content", not(hasItem("a visible reply")))
                .body("comments.id", not(hasItem(shown.commentId().toString())));
        TestLog.publish(new CommentCreated(UUID.randomUUID(), postId, shown.commentId(), author, "an answer", 1));
        await(tree, "comments[2].replies[0].content", "an answer");
        internal().get(tree).then().body("comments[2].content", equalTo("[removed]"))
                .body("comments[2].authorName", nullValue()).body("comments[2].isDeleted", equalTo(true));
    }

    /** A submolt waiting for its creator's challenge is listed nowhere until it is solved, with its members then. */
    @Test
    void aSubmoltWaitingForItsChallengeIsListedOnceSolved() {
        UUID submolt = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        UUID challenge = UUID.randomUUID();
        String name = "held-" + submolt.toString().substring(0, 8);
        TestLog.publish(new dev.shoal.events.SubmoltEvent.SubmoltChallenged(submolt, challenge, owner,
                        Instant.now().plusSeconds(30)),
                new dev.shoal.events.SubmoltEvent.SubmoltCreated(submolt, name, "Held", "", false, owner),
                new dev.shoal.events.SubmoltEvent.SubmoltSubscribed(submolt, owner));
        awaitCount(reads.sql("SELECT count(*) FROM {read}.held_submolt WHERE id = '" + submolt
                + "' AND created_at IS NOT NULL"), 1);
        internal().get("/internal/submolts/" + name).then().statusCode(404);
        TestLog.publish(new dev.shoal.events.SubmoltEvent.SubmoltChallengePassed(submolt, challenge, owner));
        await("/internal/submolts/" + name, "submolt.subscriberCount", 1);
    }

    /**
     * A downranked post stays listed but ranks below a post it led (hot order), whatever votes come after; restoring
     * its rank puts it back; a rank restore that reverses another decision changes nothing.
     */
    @Test
    void aDownrankedPostRanksLowerUntilItsRankIsRestored() {
        String submolt = "rank-" + UUID.randomUUID().toString().substring(0, 8);
        UUID author = UUID.randomUUID();
        PostCreated older = new PostCreated(UUID.randomUUID(), UUID.randomUUID(), submolt, author, "older", "c", null,
                PostEvent.Kind.TEXT);
        PostCreated newer = new PostCreated(UUID.randomUUID(), older.submoltId(), submolt, author, "newer", "c", null,
                PostEvent.Kind.TEXT);
        TestLog.publish(older);
        TestLog.publish(newer);
        String feed = "/internal/posts?sort=hot&submolt=" + submolt;
        await(feed, "data.title", List.of("newer", "older"));
        ModerationEvent.ContentDownranked down = new ModerationEvent.ContentDownranked(UUID.randomUUID(), author,
                Target.POST, newer.postId(), newer.postId(), null, "moderator", "clickbait", List.of());
        TestLog.publish(down);
        await(feed, "data.title", List.of("older", "newer"));
        TestLog.publish(new dev.shoal.events.VoteEvent.VoteCast(dev.shoal.events.VoteEvent.Target.POST,
                newer.postId(), UUID.randomUUID(), author, 1));
        await(feed, "data[1].upvotes", 1);
        internal().get(feed).then().body("data.title", equalTo(List.of("older", "newer"))); // an upvote is no 100
        TestLog.publish(new ModerationEvent.ContentRankRestored(UUID.randomUUID(), author, Target.POST,
                newer.postId(), newer.postId(), UUID.randomUUID(), "moderator", "not the one in force"));
        // a second downrank (a vote ring's, on another stream): the post stays down until both are taken back
        ModerationEvent.ContentDownranked ring = new ModerationEvent.ContentDownranked(UUID.randomUUID(),
                UUID.randomUUID(), Target.POST, newer.postId(), newer.postId(), "vote-ring", null, "a ring", List.of());
        TestLog.publish(ring);
        awaitCount(reads.sql("SELECT count(*) FROM {read}.downranked_content WHERE target_id = '" + newer.postId()
                + "'"), 2);
        TestLog.publish(new ModerationEvent.ContentRankRestored(UUID.randomUUID(), author, Target.POST,
                newer.postId(), newer.postId(), down.decisionId(), "moderator", "the title was fixed"));
        awaitCount(reads.sql("SELECT count(*) FROM {read}.downranked_content WHERE target_id = '" + newer.postId()
                + "'"), 1);
        internal().get(feed).then().body("data.title", equalTo(List.of("older", "newer")));
        TestLog.publish(new ModerationEvent.ContentRankRestored(UUID.randomUUID(), author, Target.POST,
                newer.postId(), newer.postId(), ring.decisionId(), "moderator", "no ring after all"));
        await(feed, "data.title", List.of("newer", "older"));
    }

    /**
     * A vote ring's downrank takes the ring member's vote out of the post's counts and its author's karma, whatever
     * the member votes after and whichever comes first, the vote or the decision; a reversal counts the vote again.
     */
    @Test
    void aVoteRingsVotesCountForNothingUntilTheDecisionIsReversed() {
        UUID author = UUID.randomUUID();
        PostCreated post = new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "general", author, "pushed", "c",
                null, PostEvent.Kind.TEXT);
        UUID member = UUID.randomUUID();
        UUID lateMember = UUID.randomUUID();
        ModerationEvent.ContentDownranked early = new ModerationEvent.ContentDownranked(UUID.randomUUID(), lateMember,
                Target.POST, post.postId(), post.postId(), "vote-ring", null, "a ring", List.of());
        TestLog.publish(early); // read before the vote it discounts
        TestLog.publish(post);
        TestLog.publish(vote(post, member, author, 1), vote(post, UUID.randomUUID(), author, 1),
                vote(post, lateMember, author, 1));
        String one = "/internal/posts/" + post.postId();
        String karma = reads.sql("SELECT coalesce(sum(karma), 0) FROM {read}.agent_karma WHERE agent_id = '" + author
                + "'");
        awaitCount(reads.sql("SELECT count(*) FROM {read}.post_vote WHERE target_id = '" + post.postId() + "'"), 3);
        await(one, "post.upvotes", 2);
        awaitCount(karma, 2);

        ModerationEvent.ContentDownranked ring = new ModerationEvent.ContentDownranked(UUID.randomUUID(), member,
                Target.POST, post.postId(), post.postId(), "vote-ring", null, "a ring", List.of());
        TestLog.publish(ring);
        await(one, "post.upvotes", 1);
        awaitCount(karma, 1);
        TestLog.publish(vote(post, member, author, -1));
        awaitCount(reads.sql("SELECT count(*) FROM {read}.post_vote WHERE target_id = '" + post.postId()
                + "' AND value = -1"), 1);
        internal().get(one).then().body("post.upvotes", equalTo(1)).body("post.downvotes", equalTo(0))
                .body("post.score", equalTo(1));
        awaitCount(karma, 1);

        TestLog.publish(new ModerationEvent.ContentRankRestored(UUID.randomUUID(), author, Target.POST,
                post.postId(), post.postId(), ring.decisionId(), "moderator", "no ring after all"));
        await(one, "post.downvotes", 1);
        internal().get(one).then().body("post.upvotes", equalTo(1)).body("post.score", equalTo(0));
        awaitCount(karma, 0);
        TestLog.publish(new ModerationEvent.ContentRankRestored(UUID.randomUUID(), author, Target.POST,
                post.postId(), post.postId(), early.decisionId(), "moderator", "nor this one"));
        await(one, "post.upvotes", 2);
        awaitCount(karma, 1);
    }

    private static dev.shoal.events.VoteEvent.VoteCast vote(PostCreated post, UUID voter, UUID author, int value) {
        return new dev.shoal.events.VoteEvent.VoteCast(dev.shoal.events.VoteEvent.Target.POST, post.postId(), voter,
                author, value);
    }

    @Inject
    DataSource dataSource;
    @Inject
    dev.shoal.platform.projection.ReadSchema reads;

    void awaitCount(String sql, long expected) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Db.count(dataSource, sql) != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected, Db.count(dataSource, sql), sql);
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
