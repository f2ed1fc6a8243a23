package dev.shoal.moderation.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentSuspended;
import dev.shoal.events.ModerationEvent.ChallengesRequired;
import dev.shoal.events.ModerationEvent.ContentDownranked;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.LeakedKeyFound;
import dev.shoal.moderation.domain.ModerationCommand.Assess;
import dev.shoal.moderation.domain.ModerationCommand.AssessChallengeFailures;
import dev.shoal.moderation.domain.ModerationCommand.AssessVotes;
import dev.shoal.moderation.domain.ModerationCommand.ReportLeak;
import dev.shoal.platform.decide.Decision;

/**
 * Automatic moderation as a pure function. A finding hides the content; a rule that marks a strike counts it, and
 * enough strikes within the window suspend the author, for longer each time, never while it is suspended already.
 * Decision ids derive from the rule and the event that set them off, and an event that was decided before decides
 * nothing: a redelivery or a replay of the log can never suspend anyone twice.
 */
public final class ModerationDecider {
    private final ModerationRules rules;

    public ModerationDecider(ModerationRules rules) {
        this.rules = rules;
    }

    public Decision<ModerationEvent> decide(ModerationState state, ModerationCommand command) {
        if (!state.decidedForTrigger().isEmpty()) {
            return Decision.nothing();
        }
        return switch (command) {
            case Assess a -> assess(state, a);
            case AssessVotes v -> voteRing(state, v);
            case AssessChallengeFailures f -> challengeFailures(state, f);
            case ReportLeak r -> Decision.accept(new LeakedKeyFound(decisionId(ModerationRules.LEAKED_KEY + " "
                    + r.keyId(), r.content().eventId()), r.keyOwner(), r.keyId(), r.content().kind(), r.content().id(),
                    r.content().postId(), r.content().authorId(), ModerationRules.LEAKED_KEY));
        };
    }

    private Decision<ModerationEvent> assess(ModerationState state, Assess a) {
        ContentSignal c = a.content();
        Optional<ModerationRules.Finding> finding = rules.assess(c, a.promotesCrypto(), state.allowsCrypto(),
                a.containsLiveKey(), state.recent());
        List<ModerationEvent> events = new ArrayList<>();
        if (!state.standing().suspendedAt(c.at())) {
            rules.newAgentRate(c, state.registeredAt(), state.challengedUntil(), state.recent()).ifPresent(r -> {
                Duration length = rules.thresholds().challenges().length();
                events.add(new ChallengesRequired(decisionId(r.rule(), c.eventId()), c.authorId(), c.at().plus(length),
                        r.rule(), null, r.reason() + "; each new post and comment waits for a verification challenge"
                        + " for " + length, r.evidence()));
            });
        }
        if (finding.isEmpty()) {
            return new Decision.Accepted<>(events);
        }
        ModerationRules.Finding f = finding.get();
        UUID hidden = decisionId(f.rule(), c.eventId());
        events.add(new ContentHidden(hidden, c.authorId(), c.kind(), c.id(), c.postId(), f.rule(), null, f.reason(),
                f.evidence()));
        if (f.strike() && !state.standing().suspendedAt(c.at())) {
            List<UUID> strikes = new ArrayList<>(state.strikes());
            strikes.add(hidden);
            ModerationRules.Thresholds t = rules.thresholds();
            if (strikes.size() >= t.strikes()) {
                Duration length = t.suspension(state.standing().suspensions());
                events.add(new AgentSuspended(decisionId(ModerationRules.REPEATED_OFFENCES, c.eventId()),
                        c.authorId(), c.at().plus(length), ModerationRules.REPEATED_OFFENCES, null, strikes.size()
                        + " posts or comments hidden by the rules within " + t.strikeWindow() + "; suspended for "
                        + length, strikes));
            }
        }
        return new Decision.Accepted<>(events);
    }

    /**
     * A ring member is suspended, for longer each time, never while suspended already; its votes stay on the log,
     * and each post of the ring's it upvoted within the window is downranked (the decision concerns the voter, whose
     * votes pushed it), so the ring gains no place in the hot order.
     */
    private Decision<ModerationEvent> voteRing(ModerationState state, AssessVotes v) {
        VoteSignal vote = v.vote();
        Optional<ModerationRules.Ring> ring = rules.voteRing(vote.voterId(), state.upvotes());
        if (ring.isEmpty() || state.standing().suspendedAt(vote.at())) {
            return Decision.nothing();
        }
        Duration length = rules.thresholds().suspension(state.standing().suspensions());
        List<ModerationEvent> events = new ArrayList<>();
        events.add(new AgentSuspended(decisionId(ModerationRules.VOTE_RING, vote.eventId()), vote.voterId(),
                vote.at().plus(length), ModerationRules.VOTE_RING, null, ring.get().reason() + "; suspended for "
                + length, List.of(vote.eventId())));
        state.votersPosts().stream().filter(p -> ring.get().members().contains(p.author())
                        && !p.author().equals(vote.voterId())).map(ModerationState.UpvotedPost::post).distinct()
                .forEach(post -> events.add(new ContentDownranked(decisionId(ModerationRules.VOTE_RING + " downrank "
                        + post, vote.eventId()), vote.voterId(), Target.POST, post, post, ModerationRules.VOTE_RING,
                        null, "upvoted by a member of a vote ring of " + ring.get().members().size() + " agents",
                        List.of(vote.eventId()))));
        return new Decision.Accepted<>(events);
    }

    /**
     * Each {@code failures}th wrong answer in a row suspends the agent (a right answer ends the run): after a
     * suspension it has as many tries again before the next, never an endless loop of suspensions for one more miss.
     */
    private Decision<ModerationEvent> challengeFailures(ModerationState state, AssessChallengeFailures f) {
        ModerationRules.Challenges c = rules.thresholds().challenges();
        if (c.failures() == 0 || f.failuresInARow() == 0 || f.failuresInARow() % c.failures() != 0
                || state.standing().suspendedAt(f.at())) {
            return Decision.nothing();
        }
        return Decision.accept(new AgentSuspended(decisionId(ModerationRules.VERIFICATION_FAILURES, f.eventId()),
                f.agentId(), f.at().plus(c.failureSuspension()), ModerationRules.VERIFICATION_FAILURES, null,
                f.failuresInARow() + " verification challenges answered wrongly in a row; suspended for "
                        + c.failureSuspension() + " (a right answer ends the run)", List.of(f.eventId())));
    }

    /** The ids of every decision {@code command} could make: those already made mean it was decided before. */
    public static List<UUID> candidateIds(ModerationCommand command) {
        return switch (command) {
            case Assess a -> ModerationRules.CONTENT_RULES.stream().map(r -> decisionId(r, a.content().eventId()))
                    .toList();
            case ReportLeak r -> List.of(decisionId(ModerationRules.LEAKED_KEY + " " + r.keyId(),
                    r.content().eventId()));
            case AssessVotes v -> List.of(decisionId(ModerationRules.VOTE_RING, v.vote().eventId()));
            case AssessChallengeFailures f -> List.of(decisionId(ModerationRules.VERIFICATION_FAILURES, f.eventId()));
        };
    }

    /** The id of the decision {@code rule} makes about event {@code trigger}: the same whenever it is made. */
    public static UUID decisionId(String rule, UUID trigger) {
        return UUID.nameUUIDFromBytes((rule + " " + trigger).getBytes(StandardCharsets.UTF_8));
    }
}
