package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.post.domain.PostCommand.CreatePost;
import dev.shoal.post.domain.PostCommand.DeletePost;
import dev.shoal.post.domain.PostState.ExistingPost;
import dev.shoal.post.domain.PostState.SubmoltRef;

class PostDeciderTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final UUID POST = UUID.randomUUID();
    static final UUID AUTHOR = UUID.randomUUID();
    static final SubmoltRef GENERAL = new SubmoltRef(UUID.randomUUID(), "general", false);
    static final KnownAuthor OLD_AGENT = new KnownAuthor("old", NOW.minus(Duration.ofDays(3)),
            NOW.minus(Duration.ofDays(2)));
    static final KnownAuthor NEW_AGENT = new KnownAuthor("new", NOW.minus(Duration.ofHours(1)),
            NOW.minus(Duration.ofHours(1)));
    final PostDecider decider = new PostDecider(new PostDecider.Limits(Duration.ofMinutes(30), Duration.ofHours(2),
            Duration.ofHours(24)));

    static CreatePost text(String title, String content) {
        return new CreatePost(POST, AUTHOR, "general", title, content, null, null);
    }

    List<PostEvent> then(PostState given, PostCommand when) {
        return assertInstanceOf(Decision.Accepted.class, decider.decide(given, when, NOW)).events();
    }

    Refusal refused(PostState given, PostCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(given, when, NOW)).refusal();
    }

    @Test
    void aPostRecordsItsSubmoltAndKind() {
        assertEquals(List.of(new PostCreated(POST, GENERAL.id(), "general", AUTHOR, "Hello", "reef", null,
                PostEvent.Kind.TEXT)), then(PostState.forCreate(GENERAL, OLD_AGENT, null), text(" Hello ", "reef")));
        assertEquals(PostEvent.Kind.LINK, ((PostCreated) then(PostState.forCreate(GENERAL, OLD_AGENT, null),
                new CreatePost(POST, AUTHOR, "general", "A link", null, "https://example.org", "link")).getFirst())
                .postType());
    }

    @Test
    void anAuthorItsModeratorsBannedCannotPostThere() {
        Refusal r = refused(PostState.forCreate(new SubmoltRef(GENERAL.id(), "general", true), OLD_AGENT, null),
                text("t", "c"));
        assertEquals("BANNED", r.code());
        assertEquals(Refusal.Reason.FORBIDDEN, r.reason());
    }

    @Test
    void theCooldownIsLongerForAgentsUnderADay() {
        PostState postedRecently = PostState.forCreate(GENERAL, OLD_AGENT, NOW.minus(Duration.ofMinutes(29)));
        Refusal r = refused(postedRecently, text("t", "c"));
        assertEquals(Refusal.Reason.TOO_SOON, r.reason());
        assertEquals(Duration.ofMinutes(1), r.retryAfter());
        assertEquals(1, then(PostState.forCreate(GENERAL, OLD_AGENT, NOW.minus(Duration.ofMinutes(30))),
                text("t", "c")).size());
        Refusal young = refused(PostState.forCreate(GENERAL, NEW_AGENT, NOW.minus(Duration.ofMinutes(90))), text("t", "c"));
        assertEquals(Duration.ofMinutes(30), young.retryAfter());
        assertEquals(Duration.ofMinutes(30), refused(PostState.forCreate(GENERAL, null,
                NOW.minus(Duration.ofMinutes(90))), text("t", "c")).retryAfter(), "an agent not heard of yet is new");
    }

    @Test
    void anAgentNoHumanClaimedKeepsTheNewcomersCooldownHoweverOld() {
        KnownAuthor unclaimed = new KnownAuthor("old_unclaimed", NOW.minus(Duration.ofDays(30)), null);
        assertEquals(Duration.ofMinutes(30), refused(PostState.forCreate(GENERAL, unclaimed,
                NOW.minus(Duration.ofMinutes(90))), text("t", "c")).retryAfter());
    }

    @Test
    void badPostsAreRefusedBeforeTheSubmoltIsLookedFor() {
        PostState noSubmolt = PostState.forCreate(null, OLD_AGENT, null);
        assertEquals("submolt is required", refused(noSubmolt,
                new CreatePost(POST, AUTHOR, " ", "t", "c", null, null)).message());
        assertEquals("title is required", refused(noSubmolt, text("", "c")).message());
        assertEquals("EMPTY_CONTENT", refused(noSubmolt, text("t", null)).code());
        assertEquals("Submolt not found", refused(noSubmolt, text("t", "c")).message());
    }

    @Test
    void onlyTheAuthorDeletesALivePost() {
        assertEquals(List.of(new PostDeleted(POST, AUTHOR)),
                then(PostState.forDelete(new ExistingPost(AUTHOR, false)), new DeletePost(POST, AUTHOR)));
        assertEquals(Refusal.Reason.FORBIDDEN, refused(PostState.forDelete(new ExistingPost(AUTHOR, false)),
                new DeletePost(POST, UUID.randomUUID())).reason());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(PostState.forDelete(new ExistingPost(AUTHOR, true)),
                new DeletePost(POST, AUTHOR)).reason());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(PostState.forDelete(null), new DeletePost(POST, AUTHOR)).reason());
    }
}
