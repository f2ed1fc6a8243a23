package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.SubmoltEvent.PostPinned;
import dev.shoal.events.SubmoltEvent.PostUnpinned;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.post.domain.PinCommand.PinPost;
import dev.shoal.post.domain.PinCommand.UnpinPost;

class PinDeciderTest {
    static final UUID SUBMOLT = UUID.randomUUID();
    static final UUID POST = UUID.randomUUID();
    static final UUID AGENT = UUID.randomUUID();
    final PinDecider decider = new PinDecider();

    List<SubmoltEvent> then(PinState given, PinCommand when) {
        return assertInstanceOf(Decision.Accepted.class, decider.decide(given, when, Instant.EPOCH)).events();
    }

    Refusal refused(PinState given, PinCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(given, when, Instant.EPOCH)).refusal();
    }

    @Test
    void whoeverIsInChargePinsUpToThreeLivePosts() {
        assertEquals(List.of(new PostPinned(SUBMOLT, POST)), then(new PinState(SUBMOLT, true, true, false, 2),
                new PinPost(POST, AGENT)));
        assertEquals(Refusal.Reason.CONFLICT, refused(new PinState(SUBMOLT, true, true, false, 3),
                new PinPost(POST, AGENT)).reason());
        assertEquals(List.of(), then(new PinState(SUBMOLT, true, true, true, 3), new PinPost(POST, AGENT)));
        assertEquals(List.of(new PostUnpinned(SUBMOLT, POST)), then(new PinState(SUBMOLT, true, true, true, 1),
                new UnpinPost(POST, AGENT)));
        assertEquals(List.of(), then(new PinState(SUBMOLT, true, true, false, 1), new UnpinPost(POST, AGENT)));
    }

    @Test
    void othersAndGonePostsAreRefused() {
        assertEquals(Refusal.Reason.FORBIDDEN, refused(new PinState(SUBMOLT, true, false, false, 0),
                new PinPost(POST, AGENT)).reason());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(new PinState(SUBMOLT, false, true, true, 0),
                new UnpinPost(POST, AGENT)).reason());
    }
}
