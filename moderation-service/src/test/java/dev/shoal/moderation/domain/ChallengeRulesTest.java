package dev.shoal.moderation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentSuspended;
import dev.shoal.events.ModerationEvent.ChallengesRequired;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.moderation.domain.ModerationCommand.Assess;
import dev.shoal.moderation.domain.ModerationCommand.AssessChallengeFailures;
import dev.shoal.moderation.domain.ModerationState.Standing;
import dev.shoal.platform.decide.Decision;

/**
 * Whom moderation challenges (a new agent writing fast, nobody else) and the wrong answers that suspend, fairly: each
 * tenth in a row, never while suspended, the run ended by any right answer (post-service's side).
 */
class ChallengeRulesTest {
    static final ModerationRules.Challenges CHALLENGES = new ModerationRules.Challenges(8, Duration.ofMinutes(10),
            Duration.ofHours(24), Duration.ofHours(24), 10, Duration.ofHours(1));
    static final ModerationRules.Thresholds THRESHOLDS = new ModerationRules.Thresholds(3, Duration.ofHours(1), 5,
            Duration.ofMinutes(10), 0, Duration.ofMinutes(10), 3, Duration.ofHours(24), List.of(Duration.ofHours(1)),
            new ModerationRules.VoteRing(3, 8, 5, 0.9, Duration.ofHours(24)), CHALLENGES);
    final ModerationDecider decider = new ModerationDecider(new ModerationRules(THRESHOLDS));
    final UUID author = UUID.randomUUID();
    final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");

    /** {@code n} distinct posts by the author, a minute apart from {@code t0}. */
    List<ContentSignal> posts(int n) {
        List<ContentSignal> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            out.add(new ContentSignal(Target.POST, id, id, author, UUID.randomUUID(), t0.plusSeconds(60L * i),
                    null, Set.of(), UUID.randomUUID()));
        }
        return out;
    }

    List<ModerationEvent> assess(List<ContentSignal> all, Instant registeredAt, Instant challengedUntil,
                                 Standing standing) {
        ContentSignal last = all.getLast();
        ModerationState state = new ModerationState(Set.of(), standing, all.subList(0, all.size() - 1), List.of(),
                true, Map.of(), registeredAt, challengedUntil);
        return decider.decide(state, new Assess(last, false, false)).eventsOrThrow();
    }

    @Test
    void aNewAgentsEighthPostWithinTenMinutesOrdersChallengesForADay() {
        List<ContentSignal> eight = posts(8);
        List<ModerationEvent> events = assess(eight, t0.minus(Duration.ofHours(2)), null, Standing.GOOD);
        ChallengesRequired c = assertInstanceOf(ChallengesRequired.class, events.getFirst());
        assertEquals(ModerationRules.NEW_AGENT_RATE, c.rule());
        assertEquals(eight.getLast().at().plus(Duration.ofHours(24)), c.until());
        assertEquals(eight.stream().map(ContentSignal::eventId).toList(), c.evidence());
        assertEquals(ModerationDecider.decisionId(ModerationRules.NEW_AGENT_RATE, eight.getLast().eventId()),
                c.decisionId(), "replay-safe: the id derives from the rule and the event");
    }

    @Test
    void sevenPostsAnOlderAgentAChallengedOneAndASuspendedOneOrderNothing() {
        Instant young = t0.minus(Duration.ofHours(2));
        assertTrue(assess(posts(7), young, null, Standing.GOOD).isEmpty(), "seven are fine");
        assertTrue(assess(posts(8), t0.minus(Duration.ofDays(2)), null, Standing.GOOD).isEmpty(),
                "an agent older than a day writes as fast as its limits let it");
        assertTrue(assess(posts(8), null, null, Standing.GOOD).isEmpty(), "an agent not known yet is not judged");
        assertTrue(assess(posts(8), young, t0.plus(Duration.ofHours(1)), Standing.GOOD).isEmpty(),
                "challenged already");
        assertTrue(assess(posts(8), young, null, new Standing(t0.plus(Duration.ofHours(5)), false, 1)).isEmpty(),
                "suspended already");
        ModerationRules.Thresholds off = new ModerationRules.Thresholds(3, Duration.ofHours(1), 5,
                Duration.ofMinutes(10), 0, Duration.ofMinutes(10), 3, Duration.ofHours(24),
                List.of(Duration.ofHours(1)), new ModerationRules.VoteRing(3, 8, 5, 0.9, Duration.ofHours(24)));
        List<ContentSignal> eight = posts(8);
        assertTrue(new ModerationDecider(new ModerationRules(off)).decide(new ModerationState(Set.of(), Standing.GOOD,
                eight.subList(0, 7), List.of(), true, Map.of(), young, null), new Assess(eight.getLast(), false,
                false)).eventsOrThrow().isEmpty(), "the rule is off unless configured");
    }

    List<ModerationEvent> failures(int inARow, Standing standing) {
        return decider.decide(new ModerationState(Set.of(), standing, List.of(), List.of(), true),
                new AssessChallengeFailures(author, UUID.randomUUID(), t0, inARow)).eventsOrThrow();
    }

    @Test
    void everyTenthWrongAnswerInARowSuspendsForAnHourSayingWhy() {
        assertTrue(failures(9, Standing.GOOD).isEmpty());
        AgentSuspended s = assertInstanceOf(AgentSuspended.class, failures(10, Standing.GOOD).getFirst());
        assertEquals(ModerationRules.VERIFICATION_FAILURES, s.rule());
        assertEquals(t0.plus(Duration.ofHours(1)), s.until());
        assertTrue(s.reason().contains("10 verification challenges answered wrongly in a row"), s.reason());
        assertTrue(failures(11, Standing.GOOD).isEmpty(), "after a suspension, ten tries again, not one");
        assertEquals(1, failures(20, Standing.GOOD).size());
        assertTrue(failures(10, new Standing(t0.plusSeconds(60), false, 1)).isEmpty(), "never while suspended");
    }

    @Test
    void aDecidedWrongAnswerDecidesNothingAgain() {
        AssessChallengeFailures tenth = new AssessChallengeFailures(author, UUID.randomUUID(), t0, 10);
        Set<UUID> decided = Set.copyOf(ModerationDecider.candidateIds(tenth));
        assertInstanceOf(Decision.Accepted.class, decider.decide(ModerationState.decided(decided), tenth));
        assertTrue(decider.decide(ModerationState.decided(decided), tenth).eventsOrThrow().isEmpty());
    }
}
