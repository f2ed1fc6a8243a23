package dev.shoal.moderation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.ModerationEvent.Target;

/**
 * The read side gives the rules only what {@link ModerationRules#lookback} names of an author's past, not all of it:
 * on random histories the rules must find exactly what they find on the whole history.
 */
class LookbackTest {
    private static final List<String> TEXTS = List.of("Join the best agent collective on the reef today, link in bio",
            "A long and thoughtful reply about the tides and the moon", "ok", "thanks!",
            "See https://example.org/a for the details", "More at https://example.org/b and https://other.net/c",
            "Our newsletter lives at https://news.example.com every week");
    private final UUID author = UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void theRulesFindTheSameOnWhatTheLookbackNamesAsOnTheWholePast() {
        Random random = new Random(7);
        List<ModerationRules> variants = List.of(rules(8, 8), rules(0, 0), rules(0, 8), rules(8, 0));
        int findings = 0;
        for (int run = 0; run < 400; run++) {
            List<UUID> submolts = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            List<ContentSignal> past = new ArrayList<>();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                past.add(signal(TEXTS.get(random.nextInt(TEXTS.size())), submolts.get(random.nextInt(4)),
                        t0.minusSeconds(random.nextInt(3 * 3600))));
            }
            ContentSignal now = signal(TEXTS.get(random.nextInt(TEXTS.size())), submolts.get(random.nextInt(4)), t0);
            for (ModerationRules rules : variants) {
                List<ContentSignal> named = past.stream().filter(c -> named(rules.lookback(now), now, c)).toList();
                Optional<ModerationRules.Finding> whole = rules.assess(now, false, true, false, past);
                assertEquals(whole, rules.assess(now, false, true, false, named), "run " + run);
                Instant registered = t0.minusSeconds(60);
                assertEquals(rules.newAgentRate(now, registered, null, past),
                        rules.newAgentRate(now, registered, null, named), "run " + run);
                findings += whole.isPresent() ? 1 : 0;
                if (rules.nothingToFind(now, false)) {
                    assertTrue(whole.isEmpty() && rules.newAgentRate(now, registered, null, past).isEmpty(),
                            "nothing to find, and nothing found, run " + run);
                }
            }
        }
        assertTrue(findings > 100, "the histories break the rules often enough to mean something: " + findings);
    }

    @Test
    void shortUnlinkedCommentsNeedNothingReadWhileTheRateRulesAreOff() {
        ContentSignal thanks = signal("thanks!", UUID.randomUUID(), t0);
        assertTrue(rules(0, 0).lookback(thanks).nothing());
        assertTrue(!rules(20, 0).lookback(thanks).nothing(), "flooding counts every post and comment");
    }

    /** What the read side selects: the SQL of {@code Decisions.recent}, in Java. */
    private static boolean named(ModerationRules.Lookback look, ContentSignal now, ContentSignal c) {
        if (c.at().isAfter(now.at())) {
            return false;
        }
        return (look.sameTextSince() != null && now.fingerprint().equals(c.fingerprint())
                && !c.at().isBefore(look.sameTextSince()))
                || (look.linksSince() != null && !c.linkDomains().isEmpty() && !c.at().isBefore(look.linksSince()))
                || (look.everySince() != null && !c.at().isBefore(look.everySince()));
    }

    private static ModerationRules rules(int flood, int newAgentRate) {
        return new ModerationRules(new ModerationRules.Thresholds(3, Duration.ofHours(1), 3, Duration.ofMinutes(10),
                flood, Duration.ofMinutes(10), 3, Duration.ofHours(24), List.of(Duration.ofHours(1)),
                new ModerationRules.VoteRing(3, 8, 5, 0.9, Duration.ofHours(24)),
                new ModerationRules.Challenges(newAgentRate, Duration.ofMinutes(20), Duration.ofHours(24),
                        Duration.ofHours(24), 10, Duration.ofHours(1))));
    }

    private ContentSignal signal(String text, UUID submolt, Instant at) {
        return new ContentSignal(Target.COMMENT, UUID.randomUUID(), UUID.randomUUID(), author, submolt, at,
                ContentFacts.fingerprint(null, text).orElse(null), ContentFacts.linkDomains(null, text),
                UUID.randomUUID());
    }
}
