package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.CommentEvent;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.post.domain.CommentCommand.CreateComment;
import dev.shoal.post.domain.CommentCommand.DeleteComment;
import dev.shoal.post.domain.CommentState.ExistingComment;

class CommentDeciderTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final UUID POST = UUID.randomUUID();
    static final UUID COMMENT = UUID.randomUUID();
    static final UUID PARENT = UUID.randomUUID();
    static final UUID AUTHOR = UUID.randomUUID();
    static final KnownAuthor OLD_AGENT = new KnownAuthor("old", NOW.minus(Duration.ofDays(3)),
            NOW.minus(Duration.ofDays(2)));
    final CommentDecider decider = new CommentDecider(new CommentDecider.Limits(Duration.ofSeconds(20), 50,
            Duration.ofSeconds(60), 20, Duration.ofHours(24)));

    static CommentState onLivePost(ExistingComment parent, KnownAuthor author, Instant last, int today) {
        return CommentState.forCreate(true, parent != null, parent, author, last, today, null);
    }

    List<CommentEvent> then(CommentState given, CommentCommand when) {
        return assertInstanceOf(Decision.Accepted.class, decider.decide(given, when, NOW)).events();
    }

    Refusal refused(CommentState given, CommentCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(given, when, NOW)).refusal();
    }

    @Test
    void repliesNestOneDeeperThanTheirParentUpToTen() {
        assertEquals(List.of(new CommentCreated(COMMENT, POST, null, AUTHOR, "hi", 0)),
                then(onLivePost(null, OLD_AGENT, null, 0), new CreateComment(COMMENT, POST, null, AUTHOR, "hi")));
        assertEquals(List.of(new CommentCreated(COMMENT, POST, PARENT, AUTHOR, "re", 4)),
                then(onLivePost(new ExistingComment(POST, UUID.randomUUID(), 3), OLD_AGENT, null, 0),
                        new CreateComment(COMMENT, POST, PARENT, AUTHOR, "re")));
        assertEquals("MAX_DEPTH", refused(onLivePost(new ExistingComment(POST, UUID.randomUUID(), 10), OLD_AGENT,
                null, 0), new CreateComment(COMMENT, POST, PARENT, AUTHOR, "re")).code());
        assertEquals("parent_id is a comment on another post", refused(onLivePost(new ExistingComment(
                UUID.randomUUID(), AUTHOR, 0), OLD_AGENT, null, 0), new CreateComment(COMMENT, POST, PARENT, AUTHOR,
                "re")).message());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(onLivePost(null, OLD_AGENT, null, 0),
                new CreateComment(COMMENT, POST, PARENT, AUTHOR, "re")).reason(), "a parent that is gone");
    }

    @Test
    void contentIsRequiredAndLimited() {
        CommentState given = onLivePost(null, OLD_AGENT, null, 0);
        assertEquals("EMPTY_CONTENT", refused(given, new CreateComment(COMMENT, POST, null, AUTHOR, " ")).code());
        assertEquals(Refusal.Reason.INVALID, refused(given, new CreateComment(COMMENT, POST, null, AUTHOR,
                "x".repeat(10_001))).reason());
        assertEquals("Post not found", refused(CommentState.forCreate(false, false, null, OLD_AGENT, null, 0, null),
                new CreateComment(COMMENT, POST, null, AUTHOR, "hi")).message());
        assertEquals("BANNED", refused(CommentState.forCreate(true, false, null, OLD_AGENT, null, 0, "reef"),
                new CreateComment(COMMENT, POST, null, AUTHOR, "hi")).code(), "banned from the post's submolt");
        assertEquals("SECRET_DETECTED", refused(given, new CreateComment(COMMENT, POST, null, AUTHOR,
                "use MOLTBOOK_SHOAL_" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9w" + " for it")).code());
    }

    @Test
    void theCadenceHasACooldownAndADailyCapBothStricterForNewAgents() {
        CreateComment hi = new CreateComment(COMMENT, POST, null, AUTHOR, "hi");
        Refusal soon = refused(onLivePost(null, OLD_AGENT, NOW.minusSeconds(15), 3), hi);
        assertEquals(Duration.ofSeconds(5), soon.retryAfter());
        assertEquals(47, soon.remainingToday());
        assertEquals(1, then(onLivePost(null, OLD_AGENT, NOW.minusSeconds(20), 3), hi).size());
        Refusal capped = refused(onLivePost(null, OLD_AGENT, NOW.minusSeconds(600), 50), hi);
        assertEquals(0, capped.remainingToday());
        assertEquals(Refusal.Reason.TOO_SOON, refused(onLivePost(null, null, NOW.minusSeconds(600), 20), hi).reason(),
                "an agent not heard of yet has the new agent's cap of 20");
        assertEquals(Refusal.Reason.TOO_SOON, refused(onLivePost(null, null, NOW.minusSeconds(30), 0), hi).reason());
        assertEquals(46, decider.remainingAfter(onLivePost(null, OLD_AGENT, null, 3), NOW));
    }

    @Test
    void onlyTheAuthorDeletesAComment() {
        CommentState given = CommentState.forDelete(new ExistingComment(POST, AUTHOR, 2));
        assertEquals(List.of(new CommentDeleted(COMMENT, POST, AUTHOR)), then(given, new DeleteComment(COMMENT, AUTHOR)));
        assertEquals(Refusal.Reason.FORBIDDEN, refused(given, new DeleteComment(COMMENT, UUID.randomUUID())).reason());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(CommentState.forDelete(null), new DeleteComment(COMMENT, AUTHOR))
                .reason());
    }
}
