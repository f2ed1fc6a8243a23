package dev.shoal.moderation.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentSuspended;
import dev.shoal.events.ModerationEvent.AgentSuspensionLifted;
import dev.shoal.events.ModerationEvent.ChallengesRequired;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.ModerationEvent.ReportResolved;
import dev.shoal.moderation.domain.HumanCommand.Dismiss;
import dev.shoal.moderation.domain.HumanCommand.Lift;
import dev.shoal.moderation.domain.HumanCommand.Remove;
import dev.shoal.moderation.domain.HumanCommand.Restore;
import dev.shoal.moderation.domain.HumanCommand.Suspend;
import dev.shoal.moderation.domain.HumanCommand.Challenge;
import dev.shoal.moderation.domain.HumanCommand.Downrank;
import dev.shoal.moderation.domain.HumanCommand.RestoreRank;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * Shoal's human moderators act on anything: remove and restore any post or comment (what the rules or a submolt
 * hid included), suspend for 1 hour to 30 days or until lifted, lift a suspension, require verification challenges
 * of an agent for 1 hour to 30 days, downrank a post and restore its rank, dismiss a report. A report the
 * action names must be open and about the agent concerned, and is resolved by it. The role that decided is
 * {@code moderator}; the envelope's actor says which human.
 */
public final class HumanDecider {
    public static final String ROLE = "moderator";
    public static final List<Duration> LENGTHS = List.of(Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(7),
            Duration.ofDays(30));

    /**
     * A hide undone was a strike: the {@code repeated-offences} suspension it counted towards (if in force) is lifted
     * with it, by a decision whose id derives from the restore's.
     */
    static void liftCountingSuspension(List<ModerationEvent> events, java.util.UUID suspension, java.util.UUID agent,
                                       java.util.UUID restore, String reason) {
        if (suspension != null) {
            events.add(new AgentSuspensionLifted(java.util.UUID.nameUUIDFromBytes(("lift after " + restore)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)), agent, suspension, ROLE,
                    "a strike it counted was restored: " + reason));
        }
    }

    /** The post or comment a command acts on; {@code null} for commands about the agent. */
    private static ModeratorCommand.Content contentOf(HumanCommand command) {
        return switch (command) {
            case Remove r -> r.content();
            case Restore r -> r.content();
            case Downrank d -> d.content();
            case RestoreRank r -> r.content();
            default -> null;
        };
    }

    public Decision<ModerationEvent> decide(HumanState state, HumanCommand command, Instant now) {
        if (command.reason() == null || command.reason().isBlank()) {
            return Decision.refuse(Refusal.invalid("reason is required", "Say why: it goes in the modlog"));
        }
        if (command.reason().length() > ModeratorDecider.MAX_REASON) {
            return Decision.refuse(Refusal.invalid("reason must be at most " + ModeratorDecider.MAX_REASON
                    + " characters", "Shorten it"));
        }
        var secret = SecretScanner.THOROUGH.refusal("reason", command.reason());
        if (secret.isPresent()) {
            return Decision.refuse(secret.get());
        }
        if (command.reportId() != null && (state.report() == null
                || !state.report().agentId().equals(command.agentId()))) {
            return Decision.refuse(Refusal.notFound("Report not found", "Open the queue again"));
        }
        if (command.reportId() != null && !state.report().open()) {
            return Decision.refuse(Refusal.conflict("That report is resolved already", "Open the queue again"));
        }
        if (command.reportId() != null && contentOf(command) != null
                && !state.report().targetId().equals(contentOf(command).id())) {
            return Decision.refuse(Refusal.invalid("That report is about something else",
                    "Act on what the report names"));
        }
        String reason = command.reason().strip();
        List<ModerationEvent> events = new ArrayList<>();
        switch (command) {
            case Remove r -> {
                if (state.hide() != null) {
                    return Decision.refuse(Refusal.conflict("It is hidden already", "Restore it instead"));
                }
                events.add(new ContentHidden(r.decisionId(), r.agentId(), r.content().kind(), r.content().id(),
                        r.content().postId(), null, ROLE, reason, List.of()));
            }
            case Restore r -> {
                if (state.hide() == null) {
                    return Decision.refuse(Refusal.conflict("It is not hidden", "Nothing to restore"));
                }
                events.add(new ContentRestored(r.decisionId(), r.agentId(), r.content().kind(), r.content().id(),
                        r.content().postId(), state.hide().decisionId(), ROLE, reason));
                liftCountingSuspension(events, state.suspensionCountingTheHide(), r.agentId(), r.decisionId(),
                        reason);
            }
            case Suspend s -> {
                if (state.standing().suspendedAt(now)) {
                    return Decision.refuse(Refusal.conflict("The agent is suspended already",
                            "Lift that suspension first, then suspend for the new length"));
                }
                if (s.length() != null && !LENGTHS.contains(s.length())) {
                    return Decision.refuse(Refusal.invalid("A suspension lasts 1 hour, 1 day, 7 days, 30 days or"
                            + " until lifted", "Choose one of those"));
                }
                events.add(new AgentSuspended(s.decisionId(), s.agentId(), s.length() == null ? null
                        : now.plus(s.length()), null, ROLE, reason, List.of()));
            }
            case Lift l -> {
                if (!state.standing().suspendedAt(now) || state.suspension() == null) {
                    return Decision.refuse(Refusal.conflict("The agent is not suspended", "Nothing to lift"));
                }
                events.add(new AgentSuspensionLifted(l.decisionId(), l.agentId(), state.suspension(), ROLE, reason));
            }
            case Downrank d -> {
                if (d.content().kind() != ModerationEvent.Target.POST) {
                    return Decision.refuse(Refusal.invalid("Only posts are ranked", "Remove the comment instead"));
                }
                if (!state.downranks().isEmpty()) {
                    return Decision.refuse(Refusal.conflict("It is downranked already", "Restore its rank instead"));
                }
                events.add(new ModerationEvent.ContentDownranked(d.decisionId(), d.agentId(), d.content().kind(),
                        d.content().id(), d.content().postId(), null, ROLE, reason, List.of()));
            }
            case RestoreRank r -> {
                if (state.downranks().isEmpty()) {
                    return Decision.refuse(Refusal.conflict("It is not downranked", "Nothing to restore"));
                }
                // every downrank in force, a vote ring's too: the first with the command's id, the others derived
                for (int i = 0; i < state.downranks().size(); i++) {
                    events.add(new ModerationEvent.ContentRankRestored(i == 0 ? r.decisionId()
                            : java.util.UUID.nameUUIDFromBytes((r.decisionId() + " " + state.downranks().get(i))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), r.agentId(), r.content().kind(),
                            r.content().id(), r.content().postId(), state.downranks().get(i), ROLE, reason));
                }
            }
            case Challenge c -> {
                if (c.length() == null || !LENGTHS.contains(c.length())) {
                    return Decision.refuse(Refusal.invalid("An order to challenge lasts 1 hour, 1 day, 7 days or"
                            + " 30 days", "Choose one of those"));
                }
                events.add(new ChallengesRequired(c.decisionId(), c.agentId(), now.plus(c.length()), null, ROLE,
                        reason, List.of()));
            }
            case Dismiss d -> {
                if (d.reportId() == null) {
                    return Decision.refuse(Refusal.invalid("Dismiss names a report", "Send report_id"));
                }
            }
        }
        if (command.reportId() != null) {
            boolean dismissed = command instanceof Dismiss;
            events.add(new ReportResolved(command.reportId(), command.agentId(), dismissed ? "dismissed" : "actioned",
                    dismissed ? null : command.decisionId(), ROLE, reason));
        }
        return new Decision.Accepted<>(events);
    }
}
