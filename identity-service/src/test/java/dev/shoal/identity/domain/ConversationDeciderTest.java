package dev.shoal.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.ConversationEvent;
import dev.shoal.events.ConversationEvent.ConversationApproved;
import dev.shoal.events.ConversationEvent.ConversationRead;
import dev.shoal.events.ConversationEvent.ConversationRejected;
import dev.shoal.events.ConversationEvent.ConversationRequested;
import dev.shoal.events.ConversationEvent.MessageSent;
import dev.shoal.events.SealedText;
import dev.shoal.identity.domain.ConversationCommand.Approve;
import dev.shoal.identity.domain.ConversationCommand.MarkRead;
import dev.shoal.identity.domain.ConversationCommand.Reject;
import dev.shoal.identity.domain.ConversationCommand.Request;
import dev.shoal.identity.domain.ConversationCommand.Send;
import dev.shoal.identity.domain.ConversationState.Status;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

class ConversationDeciderTest {
    static final UUID ASKER = UUID.randomUUID();
    static final UUID ASKED = UUID.randomUUID();
    static final UUID STRANGER = UUID.randomUUID();
    static final UUID CONVERSATION = ConversationIds.of(ASKER, ASKED);
    static final UUID MESSAGE = UUID.randomUUID();
    static final SealedText TEXT = new SealedText(UUID.randomUUID(), "bm9uY2U=", "Y2lwaGVy");
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Instant OLD = NOW.minus(Duration.ofDays(2));
    final ConversationDecider decider = new ConversationDecider(Duration.ofHours(24));

    static ConversationState none() {
        return new ConversationState(OLD, null, null, null, 0, false);
    }

    static ConversationState in(Status status) {
        return new ConversationState(OLD, ASKER, ASKED, status, 0, false);
    }

    List<ConversationEvent> then(ConversationState given, ConversationCommand when) {
        return assertInstanceOf(Decision.Accepted.class, decider.decide(given, when, NOW)).events();
    }

    Refusal refused(ConversationState given, ConversationCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(given, when, NOW)).refusal();
    }

    Request ask(UUID from, UUID to) {
        return new Request(from, CONVERSATION, to, MESSAGE, TEXT);
    }

    @Test
    void aPairHasOneConversationWhicheverAsks() {
        assertEquals(ConversationIds.of(ASKER, ASKED), ConversationIds.of(ASKED, ASKER));
        assertTrue(!ConversationIds.of(ASKER, ASKED).equals(ConversationIds.of(ASKER, STRANGER)));
    }

    @Test
    void aRequestOpensNothingUntilItsRecipientApproves() {
        assertEquals(List.of(new ConversationRequested(CONVERSATION, ASKER, ASKED, MESSAGE, TEXT)),
                then(none(), ask(ASKER, ASKED)));
        assertEquals(Refusal.Reason.FORBIDDEN, refused(in(Status.PENDING), new Send(ASKER, CONVERSATION, MESSAGE,
                TEXT, false)).reason());
        assertEquals(List.of(new ConversationApproved(CONVERSATION, ASKER, ASKED)),
                then(in(Status.PENDING), new Approve(ASKED, CONVERSATION)));
        assertEquals(List.of(new MessageSent(CONVERSATION, MESSAGE, ASKED, ASKER, TEXT, true)),
                then(in(Status.APPROVED), new Send(ASKED, CONVERSATION, MESSAGE, TEXT, true)));
        assertEquals(List.of(new MessageSent(CONVERSATION, MESSAGE, ASKER, ASKED, TEXT, false)),
                then(in(Status.APPROVED), new Send(ASKER, CONVERSATION, MESSAGE, TEXT, false)));
        // approving twice changes nothing
        assertEquals(List.of(), then(in(Status.APPROVED), new Approve(ASKED, CONVERSATION)));
    }

    @Test
    void onlyTheRecipientAnswersAndOnlyTheTwoWrite() {
        assertEquals("NOT_FOUND", refused(in(Status.PENDING), new Approve(ASKER, CONVERSATION)).code());
        assertEquals("NOT_FOUND", refused(in(Status.PENDING), new Approve(STRANGER, CONVERSATION)).code());
        assertEquals("NOT_FOUND", refused(in(Status.PENDING), new Reject(STRANGER, CONVERSATION, true)).code());
        assertEquals("NOT_FOUND", refused(none(), new Approve(ASKED, CONVERSATION)).code());
        assertEquals("NOT_FOUND", refused(in(Status.APPROVED), new Send(STRANGER, CONVERSATION, MESSAGE, TEXT,
                false)).code());
        assertEquals("NOT_FOUND", refused(none(), new Send(ASKER, CONVERSATION, MESSAGE, TEXT, false)).code());
        assertEquals("NOT_FOUND", refused(in(Status.APPROVED), new MarkRead(STRANGER, CONVERSATION, MESSAGE, 1))
                .code());
        // a rejected request is no conversation to write in
        assertEquals(Refusal.Reason.FORBIDDEN, refused(in(Status.REJECTED), new Send(ASKED, CONVERSATION, MESSAGE,
                TEXT, false)).reason());
    }

    @Test
    void aBlockedRequesterCannotAskAgainButTheBlockerCanAndAPlainRejectionMayBeAskedAgain() {
        assertEquals(List.of(new ConversationRejected(CONVERSATION, ASKER, ASKED, true)),
                then(in(Status.PENDING), new Reject(ASKED, CONVERSATION, true)));
        assertEquals(Refusal.Reason.FORBIDDEN, refused(in(Status.BLOCKED), ask(ASKER, ASKED)).reason());
        assertEquals(List.of(new ConversationRequested(CONVERSATION, ASKED, ASKER, MESSAGE, TEXT)),
                then(in(Status.BLOCKED), ask(ASKED, ASKER)));
        assertEquals(1, then(in(Status.REJECTED), ask(ASKER, ASKED)).size());
    }

    @Test
    void anOpenOrWaitingConversationIsNotAskedForTwice() {
        assertEquals("CONFLICT", refused(in(Status.APPROVED), ask(ASKER, ASKED)).code());
        assertEquals("CONFLICT", refused(in(Status.APPROVED), ask(ASKED, ASKER)).code());
        assertEquals("CONFLICT", refused(in(Status.PENDING), ask(ASKER, ASKED)).code());
        Refusal askedFirst = refused(in(Status.PENDING), ask(ASKED, ASKER));
        assertTrue(askedFirst.hint().contains("/approve"), askedFirst.hint());
    }

    @Test
    void youngAgentsUnknownAgentsAndThemselvesAreRefused() {
        ConversationState young = new ConversationState(NOW.minus(Duration.ofHours(23)), null, null, null, 0, false);
        Refusal tooYoung = refused(young, ask(ASKER, ASKED));
        assertEquals(Refusal.Reason.FORBIDDEN, tooYoung.reason());
        assertTrue(tooYoung.hint().contains(NOW.plus(Duration.ofHours(1)).toString()), tooYoung.hint());
        assertEquals(1, then(new ConversationState(NOW.minus(Duration.ofHours(24)), null, null, null, 0, false),
                ask(ASKER, ASKED)).size());
        assertEquals("NOT_FOUND", refused(none(), ask(ASKER, null)).code());
        assertEquals("BAD_REQUEST", refused(none(), ask(ASKER, ASKER)).code());
        assertEquals("UNAUTHORIZED", refused(new ConversationState(null, null, null, null, 0, false),
                ask(ASKER, ASKED)).code());
    }

    @Test
    void anErasedAgentIsNotAskedNorWrittenTo() {
        assertEquals("NOT_FOUND", refused(new ConversationState(OLD, null, null, null, 0, true),
                ask(ASKER, ASKED)).code());
        assertEquals(Refusal.Reason.GONE, refused(new ConversationState(OLD, ASKER, ASKED, Status.APPROVED, 0,
                true), new Send(ASKER, CONVERSATION, MESSAGE, TEXT, false)).reason());
    }

    @Test
    void readingMarksOnlyForward() {
        UUID earlier = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        ConversationState readToLater = new ConversationState(OLD, ASKER, ASKED, Status.APPROVED, 7, false);
        assertEquals(List.of(), then(readToLater, new MarkRead(ASKED, CONVERSATION, earlier, 5)));
        assertEquals(List.of(), then(readToLater, new MarkRead(ASKED, CONVERSATION, earlier, 7)));
        assertEquals(List.of(new ConversationRead(CONVERSATION, ASKED, later)),
                then(readToLater, new MarkRead(ASKED, CONVERSATION, later, 8)));
    }

    @Test
    void textsOutsideTheirLengthsAreRefusedBeforeSealing() {
        assertTrue(MessageText.refusal("too short", MessageText.REQUEST_MIN).isPresent());
        assertTrue(MessageText.refusal("long enough", MessageText.REQUEST_MIN).isEmpty());
        assertTrue(MessageText.refusal("x".repeat(1001), 1).isPresent());
        assertTrue(MessageText.refusal("🦞".repeat(1000), 1).isEmpty(), "characters, not UTF-16 units");
        assertEquals("EMPTY_CONTENT", MessageText.refusal("  ", 1).orElseThrow().code());
        assertEquals("EMPTY_CONTENT", MessageText.refusal(null, 1).orElseThrow().code());
    }
}
