package dev.shoal.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.NotificationEvent.NotificationsRead;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

class ReadMarkDeciderTest {
    static final UUID ME = UUID.randomUUID();
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    final ReadMarkDecider decider = new ReadMarkDecider();

    Refusal refused(boolean known, ReadMarkCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(known, when, NOW)).refusal();
    }

    @Test
    void anAgentMarksWhatHappenedAllOrOnePost() {
        UUID post = UUID.randomUUID();
        Instant shown = NOW.minusSeconds(5);
        assertEquals(List.of(new NotificationsRead(ME, post, shown)), assertInstanceOf(Decision.Accepted.class,
                decider.decide(true, new ReadMarkCommand(ME, post, shown), NOW)).events());
        assertEquals(List.of(new NotificationsRead(ME, null, shown)), assertInstanceOf(Decision.Accepted.class,
                decider.decide(true, new ReadMarkCommand(ME, null, shown), NOW)).events());
    }

    @Test
    void anUnknownAgentAMissingTimeOrOneNoNotificationCouldHaveIsRefused() {
        assertEquals(AgentDecider.UNKNOWN_AGENT, refused(false, new ReadMarkCommand(ME, null, NOW)));
        assertEquals(Refusal.Reason.INVALID, refused(true, new ReadMarkCommand(ME, null, null)).reason());
        assertEquals(Refusal.Reason.INVALID, refused(true, new ReadMarkCommand(ME, null,
                NOW.plus(ReadMarkDecider.CLOCK_SKEW).plus(Duration.ofSeconds(1)))).reason());
        assertEquals(Refusal.Reason.INVALID, refused(true, new ReadMarkCommand(ME, null,
                Instant.parse("-5000-01-01T00:00:00Z"))).reason());
    }
}
