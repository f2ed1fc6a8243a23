package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.VerificationEvent.ChallengeFailed;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/** Who is challenged, and every answer to a challenge: right, wrong, unknown, someone else's, used, expired. */
class VerificationDeciderTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final UUID AGENT = UUID.randomUUID();
    static final UUID POST = UUID.randomUUID();
    static final UUID CHALLENGE = UUID.randomUUID();
    final VerificationDecider decider = new VerificationDecider();

    static VerificationState open(int failures) {
        return new VerificationState(new VerificationState.Challenge(AGENT, VerificationState.Kind.POST, POST, POST,
                NOW.plus(Duration.ofMinutes(5)), "right", false), failures);
    }

    Object decided(VerificationState state, String answerHash) {
        Decision<?> d = decider.decide(state, new VerificationCommand(CHALLENGE, AGENT, answerHash), NOW);
        return d instanceof Decision.Accepted<?> a ? a.events().getFirst() : ((Decision.Rejected<?>) d).refusal();
    }

    @Test
    void aRightAnswerPublishesTheContentAndAWrongOneLengthensTheRun() {
        assertEquals(new ChallengePassed(CHALLENGE, AGENT, Target.POST, POST, POST), decided(open(4), "right"));
        assertEquals(new ChallengeFailed(CHALLENGE, AGENT, Target.POST, POST, POST, 5), decided(open(4), "wrong"));
    }

    @Test
    void unknownSomeoneElsesUsedAndExpiredCodesAreRefusedWithTheirOwnStatus() {
        assertEquals(Refusal.Reason.NOT_FOUND, ((Refusal) decided(new VerificationState(null, 0), "right")).reason());
        Refusal other = assertInstanceOf(Refusal.class, decider.decide(open(0), new VerificationCommand(CHALLENGE,
                UUID.randomUUID(), "right"), NOW) instanceof Decision.Rejected<?> r ? r.refusal() : null);
        assertEquals(Refusal.Reason.NOT_FOUND, other.reason(), "another agent's code is nobody's");
        VerificationState used = new VerificationState(new VerificationState.Challenge(AGENT,
                VerificationState.Kind.POST, POST, POST, NOW.plus(Duration.ofMinutes(5)), "right", true), 0);
        assertEquals(Refusal.Reason.CONFLICT, ((Refusal) decided(used, "right")).reason());
        VerificationState expired = new VerificationState(new VerificationState.Challenge(AGENT, VerificationState.Kind.POST,
                POST, POST, NOW, "right", false), 0);
        assertEquals(Refusal.Reason.GONE, ((Refusal) decided(expired, "right")).reason());
    }

    @Test
    void onlyAnAuthorModerationFlaggedIsChallengedAndTheChallengeComesFirst() {
        PostDecider posts = new PostDecider(new PostDecider.Limits(Duration.ZERO, Duration.ZERO, Duration.ofHours(24),
                Duration.ofMinutes(5)));
        PostState.SubmoltRef general = new PostState.SubmoltRef(UUID.randomUUID(), "general", false);
        PostCommand.CreatePost create = new PostCommand.CreatePost(POST, AGENT, "general", "Hello", "reef", null, null);
        KnownAuthor flagged = new KnownAuthor("a", NOW.minus(Duration.ofHours(1)), null, NOW.plusSeconds(60));
        List<?> events = ((Decision.Accepted<?>) posts.decide(PostState.forCreate(general, flagged, null), create,
                NOW)).events();
        ContentChallenged c = assertInstanceOf(ContentChallenged.class, events.get(0));
        assertEquals(new ContentChallenged(PostDecider.challengeIdOf(POST), AGENT, Target.POST, POST, POST,
                NOW.plus(Duration.ofMinutes(5))), c);
        assertInstanceOf(PostCreated.class, events.get(1));
        for (KnownAuthor unflagged : new KnownAuthor[] {new KnownAuthor("b", NOW.minus(Duration.ofHours(1)), null),
                new KnownAuthor("c", NOW.minus(Duration.ofHours(1)), null, NOW)}) {
            List<?> plain = ((Decision.Accepted<?>) posts.decide(PostState.forCreate(general, unflagged, null),
                    create, NOW)).events();
            assertEquals(1, plain.size(), "no order, or one that has ended, challenges nothing: " + plain);
            assertInstanceOf(PostCreated.class, plain.getFirst());
        }

        CommentDecider comments = new CommentDecider(new CommentDecider.Limits(Duration.ZERO, 100, Duration.ZERO, 100,
                Duration.ofHours(24), Duration.ofMinutes(5)));
        UUID comment = UUID.randomUUID();
        List<?> commented = ((Decision.Accepted<?>) comments.decide(CommentState.forCreate(true, false, null, flagged,
                null, 0, null), new CommentCommand.CreateComment(comment, POST, null, AGENT, "a reply"), NOW)).events();
        assertEquals(new ContentChallenged(PostDecider.challengeIdOf(comment), AGENT, Target.COMMENT, comment, POST,
                NOW.plus(Duration.ofMinutes(5))), commented.getFirst());
    }

    @Test
    void aFlaggedAgentsSubmoltIsChallengedForThirtySecondsAndAnsweredOnItsOwnStream() {
        SubmoltDecider submolts = new SubmoltDecider(new SubmoltDecider.Limits(Duration.ofHours(24), 1));
        UUID submolt = UUID.randomUUID();
        KnownAuthor flagged = new KnownAuthor("a", NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2)),
                NOW.plusSeconds(60));
        List<?> events = ((Decision.Accepted<?>) submolts.decide(SubmoltState.forCreate(false, flagged, 0),
                new SubmoltCommand.CreateSubmolt(submolt, AGENT, "reef-watch", null, null, false), NOW)).events();
        assertEquals(new dev.shoal.events.SubmoltEvent.SubmoltChallenged(submolt, PostDecider.challengeIdOf(submolt),
                AGENT, NOW.plusSeconds(30)), events.getFirst());
        assertEquals(3, events.size(), "then the creation and the creator's subscription: " + events);
        assertEquals(2, ((Decision.Accepted<?>) submolts.decide(SubmoltState.forCreate(false, new KnownAuthor("b",
                NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2))), 0), new SubmoltCommand.CreateSubmolt(
                submolt, AGENT, "reef-watch", null, null, false), NOW)).events().size(), "unflagged: no challenge");

        VerificationState open = new VerificationState(new VerificationState.Challenge(AGENT,
                VerificationState.Kind.SUBMOLT, submolt, submolt, NOW.plusSeconds(30), "right", false), 9);
        assertEquals(new dev.shoal.events.SubmoltEvent.SubmoltChallengePassed(submolt, CHALLENGE, AGENT),
                decided(open, "right"));
        assertEquals(new dev.shoal.events.SubmoltEvent.SubmoltChallengeFailed(submolt, CHALLENGE, AGENT, 10),
                decided(open, "wrong"));
    }

    @Test
    void aPuzzleIsTheSameForTheSameSeedAndAnswersAreReadAsNumbersWithTwoDecimals() {
        VerificationPuzzle p = VerificationPuzzle.of(42);
        assertEquals(p, VerificationPuzzle.of(42));
        assertNotEquals(p.text(), VerificationPuzzle.of(43).text());
        assertEquals(2, p.answer().scale());
        assertTrue(p.text().endsWith("?"), p.text());
        assertEquals("15.00", VerificationPuzzle.canonical("15"));
        assertEquals("15.00", VerificationPuzzle.canonical(" 15.0 "));
        assertEquals("-3.50", VerificationPuzzle.canonical("-3.5"));
        assertNull(VerificationPuzzle.canonical("fifteen"));
        assertNull(VerificationPuzzle.canonical("1e999999999"), "no exponent: scaling it would build a billion digits");
        assertNull(VerificationPuzzle.canonical("1e2147483647"));
        assertNull(VerificationPuzzle.canonical("12345678901234567890"));
        assertNull(VerificationPuzzle.canonical(""));
        assertEquals("forty-two", VerificationPuzzle.words(42));
        assertEquals("thirty", VerificationPuzzle.words(30));
    }

    @Test
    void aCodeNamesItsChallengeAndNothingElseIsACode() {
        assertEquals(CHALLENGE, VerificationCode.challengeId(VerificationCode.of(CHALLENGE)));
        assertTrue(VerificationCode.of(CHALLENGE).startsWith("moltbook_verify_"));
        assertNull(VerificationCode.challengeId("moltbook_verify_xyz"));
        assertNull(VerificationCode.challengeId("moltbook_verify_" + "g".repeat(32)));
        assertNull(VerificationCode.challengeId(null));
    }
}
