package dev.shoal.moderation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentSuspended;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.LeakedKeyFound;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.moderation.domain.ModerationCommand.Assess;
import dev.shoal.moderation.domain.ModerationCommand.AssessVotes;
import dev.shoal.moderation.domain.ModerationCommand.ReportLeak;
import dev.shoal.moderation.domain.ModerationState.Standing;

class ModerationDeciderTest {
    static final ModerationRules.Thresholds THRESHOLDS = new ModerationRules.Thresholds(3, Duration.ofHours(1), 5,
            Duration.ofMinutes(10), 8, Duration.ofMinutes(10), 3, Duration.ofHours(24), List.of(Duration.ofHours(1),
            Duration.ofHours(24)), new ModerationRules.VoteRing(3, 8, 5, 0.9, Duration.ofHours(24)));
    final ModerationDecider decider = new ModerationDecider(new ModerationRules(THRESHOLDS));
    final UUID author = UUID.randomUUID();
    final Instant t0 = Instant.parse("2026-12-04T10:00:00Z");
    static final String SPAM = "Join the best agent collective on the reef today, link in bio";

    ContentSignal post(String text, UUID submolt, Instant at) {
        UUID id = UUID.randomUUID();
        return new ContentSignal(Target.POST, id, id, author, submolt, at,
                ContentFacts.fingerprint(null, text).orElse(null), ContentFacts.linkDomains(null, text),
                UUID.randomUUID());
    }

    ContentSignal comment(String text, Instant at) {
        return new ContentSignal(Target.COMMENT, UUID.randomUUID(), UUID.randomUUID(), author, UUID.randomUUID(), at,
                ContentFacts.fingerprint(null, text).orElse(null), ContentFacts.linkDomains(null, text),
                UUID.randomUUID());
    }

    List<ModerationEvent> decide(ModerationState state, ModerationCommand command) {
        return decider.decide(state, command).eventsOrThrow();
    }

    ModerationState state(List<ContentSignal> recent) {
        return new ModerationState(Set.of(), Standing.GOOD, recent, List.of(), false);
    }

    @Test
    void theSameTextInThreeSubmoltsWithinAnHourIsHiddenAndTwoAreNot() {
        ContentSignal a = post(SPAM, UUID.randomUUID(), t0);
        ContentSignal b = post(SPAM.toUpperCase() + "!!! 2", UUID.randomUUID(), t0.plusSeconds(60)); // near-duplicate
        ContentSignal c = post(SPAM, UUID.randomUUID(), t0.plusSeconds(120));
        assertTrue(decide(state(List.of(a)), new Assess(b, false, false)).isEmpty(), "two submolts are not spam");
        List<ModerationEvent> third = decide(state(List.of(a, b)), new Assess(c, false, false));
        ContentHidden hidden = assertInstanceOf(ContentHidden.class, third.getFirst());
        assertEquals(ModerationRules.DUPLICATE_CONTENT, hidden.rule());
        assertEquals(List.of(a.eventId(), b.eventId(), c.eventId()), hidden.evidence());
        assertEquals(c.id(), hidden.targetId());
        assertEquals(1, third.size(), "one strike does not suspend");
    }

    @Test
    void copiesOutsideTheWindowOrInOneSubmoltOrTooShortAreNotSpam() {
        UUID general = UUID.randomUUID();
        ContentSignal old = post(SPAM, UUID.randomUUID(), t0.minus(Duration.ofHours(2)));
        ContentSignal here = post(SPAM, general, t0);
        ContentSignal again = post(SPAM, general, t0.plusSeconds(30));
        assertTrue(decide(state(List.of(old, here)), new Assess(post(SPAM, UUID.randomUUID(), t0.plusSeconds(60)),
                false, false)).isEmpty(), "the old copy is outside the hour: two submolts in it");
        assertTrue(decide(state(List.of(here, again)), new Assess(post(SPAM, general, t0.plusSeconds(60)), false,
                false)).isEmpty(), "one submolt, however often");
        ContentSignal thanks1 = post("Thanks, great post!", UUID.randomUUID(), t0);
        ContentSignal thanks2 = post("Thanks, great post!", UUID.randomUUID(), t0.plusSeconds(1));
        assertNull(thanks1.fingerprint(), "short texts have no fingerprint");
        assertTrue(decide(state(List.of(thanks1, thanks2)), new Assess(post("Thanks, great post!", UUID.randomUUID(),
                t0.plusSeconds(2)), false, false)).isEmpty());
    }

    @Test
    void eightWritesInTenMinutesFloodAndTheSameSpreadOverAnHourDoNot() {
        List<ContentSignal> burst = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // one every 70 s: each just past a cooldown, none too soon on its own
            burst.add(comment("reply number " + i + " to the thread about tides", t0.plusSeconds(70L * i)));
        }
        ContentSignal eighth = comment("and one more reply about tides", t0.plusSeconds(490));
        ContentHidden h = assertInstanceOf(ContentHidden.class, decide(state(burst), new Assess(eighth, false, false))
                .getFirst());
        assertEquals(ModerationRules.FLOODING, h.rule());
        assertEquals(8, h.evidence().size());
        assertEquals(eighth.id(), h.targetId());

        List<ContentSignal> steady = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // the same seven, one every 9 minutes: at most two in any ten minutes
            steady.add(comment("reply number " + i + " to the thread about tides", t0.plusSeconds(540L * i)));
        }
        assertTrue(decide(state(steady), new Assess(comment("and one more reply about tides",
                t0.plusSeconds(540L * 7)), false, false)).isEmpty(), "a steady writer is no flood");
        assertTrue(decide(state(burst.subList(0, 6)), new Assess(comment("the seventh", t0.plusSeconds(480)), false,
                false)).isEmpty(), "seven in ten minutes are under the threshold");
    }

    @Test
    void theFloodRuleIsOffAtZero() {
        ModerationDecider off = new ModerationDecider(new ModerationRules(new ModerationRules.Thresholds(3,
                Duration.ofHours(1), 5, Duration.ofMinutes(10), 0, Duration.ofMinutes(10), 3, Duration.ofHours(24),
                List.of(Duration.ofHours(1)), THRESHOLDS.voteRing())));
        List<ContentSignal> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(comment("reply number " + i + " to the thread about tides", t0.plusSeconds(i)));
        }
        assertTrue(off.decide(state(many), new Assess(comment("another", t0.plusSeconds(60)), false, false))
                .eventsOrThrow().isEmpty());
    }

    @Test
    void fiveLinksToOneDomainInTenMinutesAreABurstAndFourAreNot() {
        List<ContentSignal> recent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            recent.add(comment("see https://www.spam.example/" + i, t0.plusSeconds(60L * i)));
        }
        recent.add(comment("also https://other.example/x", t0.plusSeconds(200)));
        assertTrue(decide(state(recent), new Assess(comment("and https://spam.example/4", t0.plusSeconds(240)),
                false, false)).isEmpty(), "four to spam.example");
        recent.add(comment("more https://spam.example/5", t0.plusSeconds(250)));
        ContentHidden h = assertInstanceOf(ContentHidden.class, decide(state(recent),
                new Assess(comment("last https://spam.example/6", t0.plusSeconds(300)), false, false)).getFirst());
        assertEquals(ModerationRules.LINK_BURST, h.rule());
        assertTrue(h.reason().contains("spam.example"), h.reason());
    }

    @Test
    void cryptoPromotionIsHiddenOnlyWhereTheSubmoltDoesNotAllowIt() {
        ContentSignal p = post("gm", UUID.randomUUID(), t0);
        assertEquals(ModerationRules.CRYPTO_PROMOTION, ((ContentHidden) decide(state(List.of()),
                new Assess(p, true, false)).getFirst()).rule());
        assertTrue(decide(new ModerationState(Set.of(), Standing.GOOD, List.of(), List.of(), true),
                new Assess(p, true, false)).isEmpty(), "allow_crypto=true");
        assertTrue(ContentFacts.promotesCrypto("Airdrop!", "Buy $REEF now, 100x to the moon"));
        assertTrue(ContentFacts.promotesCrypto(null, "send to 0x52908400098527886E0F7030069857D2E4169EE7"));
        assertFalse(ContentFacts.promotesCrypto("Token buckets", "A token bucket refills; the moon is full"));
        assertFalse(ContentFacts.promotesCrypto(null, "It costs $5 and the $PATH variable is set"));
    }

    @Test
    void aThirdStrikeWithinADaySuspendsForLongerEachTimeButNeverWhileSuspended() {
        ContentSignal p = post("x", UUID.randomUUID(), t0);
        List<UUID> strikes = List.of(UUID.randomUUID(), UUID.randomUUID());
        List<ModerationEvent> events = decide(new ModerationState(Set.of(), Standing.GOOD, List.of(), strikes, false),
                new Assess(p, true, false));
        AgentSuspended s = assertInstanceOf(AgentSuspended.class, events.get(1));
        assertEquals(t0.plus(Duration.ofHours(1)), s.until());
        assertEquals(ModerationRules.REPEATED_OFFENCES, s.rule());
        assertEquals(3, s.evidence().size());
        AgentSuspended second = (AgentSuspended) decide(new ModerationState(Set.of(),
                new Standing(t0.minusSeconds(1), false, 1), List.of(), strikes, false), new Assess(p, true, false))
                .get(1);
        assertEquals(t0.plus(Duration.ofHours(24)), second.until(), "the second suspension is longer");
        assertEquals(1, decide(new ModerationState(Set.of(), new Standing(t0.plusSeconds(60), false, 1), List.of(),
                strikes, false), new Assess(p, true, false)).size(), "suspended already: hidden, not suspended again");
    }

    @Test
    void aLeakIsReportedOnTheKeyOwnersStreamAndHiddenWithoutAStrike() {
        ContentSignal p = post("here is a key", UUID.randomUUID(), t0);
        List<UUID> strikes = List.of(UUID.randomUUID(), UUID.randomUUID());
        List<ModerationEvent> hide = decide(new ModerationState(Set.of(), Standing.GOOD, List.of(), strikes, true),
                new Assess(p, false, true));
        assertEquals(1, hide.size(), "a leaked key is a mistake, not a strike");
        assertEquals(ModerationRules.LEAKED_KEY, ((ContentHidden) hide.getFirst()).rule());
        UUID owner = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        LeakedKeyFound leak = (LeakedKeyFound) decide(ModerationState.decided(Set.of()),
                new ReportLeak(owner, key, p)).getFirst();
        assertEquals(owner, leak.agentId());
        assertEquals(key, leak.keyId());
        assertEquals(author, leak.authorId());
    }

    @Test
    void decisionIdsAreTheSameForTheSameEventAndAnEventDecidedBeforeDecidesNothing() {
        ContentSignal p = post("x", UUID.randomUUID(), t0);
        Assess assess = new Assess(p, true, false);
        UUID id = ((ContentHidden) decide(state(List.of()), assess).getFirst()).decisionId();
        assertEquals(id, ((ContentHidden) decide(state(List.of()), assess).getFirst()).decisionId());
        assertTrue(ModerationDecider.candidateIds(assess).contains(id));
        assertTrue(decide(new ModerationState(Set.of(id), Standing.GOOD, List.of(), List.of(), false), assess)
                .isEmpty());
    }

    /** Upvotes of the window: voter, then author, then how many of that author's posts and comments. */
    static Map<UUID, Map<UUID, Integer>> upvotes(Object... triples) {
        Map<UUID, Map<UUID, Integer>> by = new HashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            by.computeIfAbsent((UUID) triples[i], k -> new HashMap<>()).put((UUID) triples[i + 1],
                    (Integer) triples[i + 2]);
        }
        return by;
    }

    ModerationState votes(Map<UUID, Map<UUID, Integer>> upvotes, Standing standing) {
        return new ModerationState(Set.of(), standing, List.of(), List.of(), true, upvotes);
    }

    AssessVotes upvote(UUID voter, UUID author) {
        return new AssessVotes(new VoteSignal(voter, UUID.randomUUID(), author, t0, UUID.randomUUID()));
    }

    @Test
    void threeAgentsUpvotingOnlyEachOtherAreARingAndEachIsSuspendedOnce() {
        UUID a = author;
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        Map<UUID, Map<UUID, Integer>> ring = upvotes(a, b, 3, a, c, 3, b, a, 3, b, c, 3, c, a, 4, c, b, 2);
        AssessVotes vote = upvote(a, b);
        AgentSuspended s = assertInstanceOf(AgentSuspended.class, decide(votes(ring, Standing.GOOD), vote).getFirst());
        assertEquals(ModerationRules.VOTE_RING, s.rule());
        assertEquals(a, s.agentId());
        assertEquals(t0.plus(Duration.ofHours(1)), s.until());
        assertEquals(List.of(vote.vote().eventId()), s.evidence());
        assertTrue(decide(votes(ring, new Standing(t0.plusSeconds(60), false, 1)), upvote(a, c)).isEmpty(),
                "suspended already: not again");
        assertTrue(ModerationDecider.candidateIds(vote).contains(s.decisionId()), "a replay finds it decided");
    }

    /** The posts of the ring's other members that the voter upvoted are downranked with its suspension; no other. */
    @Test
    void aRingMembersSuspensionDownranksThePostsOfTheRingItUpvoted() {
        UUID a = author;
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        Map<UUID, Map<UUID, Integer>> ring = upvotes(a, b, 3, a, c, 3, b, a, 3, b, c, 3, c, a, 4, c, b, 2);
        UUID bPost = UUID.randomUUID();
        UUID cPost = UUID.randomUUID();
        UUID strangersPost = UUID.randomUUID();
        ModerationState state = new ModerationState(Set.of(), Standing.GOOD, List.of(), List.of(), true, ring, null,
                null, List.of(new ModerationState.UpvotedPost(bPost, b), new ModerationState.UpvotedPost(bPost, b),
                new ModerationState.UpvotedPost(cPost, c), new ModerationState.UpvotedPost(strangersPost, stranger)));
        AssessVotes vote = upvote(a, b);
        List<ModerationEvent> events = decide(state, vote);
        assertInstanceOf(AgentSuspended.class, events.getFirst());
        List<UUID> downranked = events.stream().filter(e -> e instanceof ModerationEvent.ContentDownranked)
                .map(e -> ((ModerationEvent.ContentDownranked) e).targetId()).toList();
        assertEquals(List.of(bPost, cPost), downranked, "each ring post once; a stranger's not");
        ModerationEvent.ContentDownranked d = (ModerationEvent.ContentDownranked) events.get(1);
        assertEquals(a, d.agentId(), "the decision concerns the voter whose upvotes pushed it");
        assertEquals(ModerationRules.VOTE_RING, d.rule());
        assertEquals(List.of(vote.vote().eventId()), d.evidence());
    }

    @Test
    void friendsWhoAlsoUpvoteOthersAFanAndAPairAreNoRing() {
        UUID a = author;
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        Map<UUID, Map<UUID, Integer>> friends = upvotes(a, b, 3, a, c, 3, b, a, 3, b, c, 3, c, a, 2, c, b, 2,
                c, stranger, 6); // c reads widely: 4 of its 10 upvotes go to the other two
        assertTrue(decide(votes(friends, Standing.GOOD), upvote(a, b)).isEmpty(), "friends are no ring");

        UUID fan = UUID.randomUUID();
        Map<UUID, Map<UUID, Integer>> fandom = upvotes(fan, a, 3, fan, b, 3, a, b, 5, b, a, 5);
        assertTrue(decide(votes(fandom, Standing.GOOD), upvote(fan, a)).isEmpty(), "nobody upvotes the fan back");

        Map<UUID, Map<UUID, Integer>> pair = upvotes(a, b, 9, b, a, 9);
        assertTrue(decide(votes(pair, Standing.GOOD), upvote(a, b)).isEmpty(), "two are a pair, not a ring");

        Map<UUID, Map<UUID, Integer>> few = upvotes(a, b, 1, a, c, 1, b, a, 1, b, c, 1, c, a, 1, c, b, 1);
        assertTrue(decide(votes(few, Standing.GOOD), upvote(a, b)).isEmpty(), "two upvotes each are too few");
    }

    @Test
    void anUpvoteNowAndThenToAnOutsiderNeitherHidesARingNorJoinsIt() {
        UUID a = author;
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        UUID outsider = UUID.randomUUID();
        Map<UUID, Map<UUID, Integer>> ring = upvotes(a, b, 5, a, c, 4, a, outsider, 1, b, a, 5, b, c, 4, b, outsider, 1,
                c, a, 5, c, b, 4, c, outsider, 1); // 9 of each member's 10 upvotes inside: 90%
        AgentSuspended s = assertInstanceOf(AgentSuspended.class, decide(votes(ring, Standing.GOOD),
                upvote(a, outsider)).getFirst());
        assertTrue(s.reason().startsWith("3 agents"), s.reason());
    }

    @Test
    void theVoteRingRuleIsOffAtZeroVotes() {
        ModerationDecider off = new ModerationDecider(new ModerationRules(new ModerationRules.Thresholds(3,
                Duration.ofHours(1), 5, Duration.ofMinutes(10), 8, Duration.ofMinutes(10), 3, Duration.ofHours(24),
                List.of(Duration.ofHours(1)), new ModerationRules.VoteRing(3, 8, 0, 0.9, Duration.ofHours(24)))));
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        assertTrue(off.decide(votes(upvotes(author, b, 3, author, c, 3, b, author, 3, b, c, 3, c, author, 4, c, b, 2),
                Standing.GOOD), upvote(author, b)).eventsOrThrow().isEmpty());
    }
}
