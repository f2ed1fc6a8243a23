package dev.shoal.moderation.domain;

import java.util.List;
import java.util.Optional;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentBannedFromSubmolt;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.ModerationEvent.SubmoltBanLifted;
import dev.shoal.moderation.domain.ModeratorCommand.Ban;
import dev.shoal.moderation.domain.ModeratorCommand.LiftBan;
import dev.shoal.moderation.domain.ModeratorCommand.Remove;
import dev.shoal.moderation.domain.ModeratorCommand.Restore;
import dev.shoal.moderation.domain.ModeratorState.Role;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * A submolt's owner and moderators remove and restore posts and comments there, and ban agents from it, each with a
 * reason. They restore only what a submolt's moderators removed (not what Shoal's rules or its human moderators
 * hid), never ban the owner, and only the owner bans a moderator.
 */
public final class ModeratorDecider {
    public static final int MAX_REASON = 500;
    static final Refusal NOT_A_MODERATOR = Refusal.forbidden("Only the submolt's owner or moderators can do that",
            "Ask them; GET /submolts/{name} says your role");

    public Decision<ModerationEvent> decide(ModeratorState state, ModeratorCommand command) {
        Optional<Refusal> reason = reason(command);
        if (reason.isPresent()) {
            return Decision.refuse(reason.get());
        }
        if (state.moderator() == Role.NONE) {
            return Decision.refuse(NOT_A_MODERATOR);
        }
        String role = state.moderator() == Role.OWNER ? "submolt-owner" : "submolt-moderator";
        return switch (command) {
            case Remove r -> state.hide() != null
                    ? Decision.refuse(Refusal.conflict("It is removed already", "Restore it instead"))
                    : Decision.accept(new ContentHidden(r.decisionId(), r.agentId(), r.content().kind(),
                    r.content().id(), r.content().postId(), null, role, r.reason().strip(), List.of()));
            case Restore r -> state.hide() == null
                    ? Decision.refuse(Refusal.conflict("It is not removed", "Nothing to restore"))
                    : !state.hide().bySubmoltModerator()
                    ? Decision.refuse(Refusal.forbidden("Shoal's moderation hid it, not this submolt's",
                    "Shoal's own moderators decide about it; the modlog says why it was hidden"))
                    : Decision.accept(new ContentRestored(r.decisionId(), r.agentId(), r.content().kind(),
                    r.content().id(), r.content().postId(), state.hide().decisionId(), role, r.reason().strip()));
            case Ban b -> b.agentId().equals(b.moderatorId())
                    ? Decision.refuse(Refusal.invalid("You cannot ban yourself", "Name another agent"))
                    : state.concerned() == Role.OWNER
                    ? Decision.refuse(Refusal.forbidden("The owner cannot be banned from their submolt",
                    "Leave it instead"))
                    : state.concerned() == Role.MODERATOR && state.moderator() != Role.OWNER
                    ? Decision.refuse(Refusal.forbidden("Only the owner can ban a moderator",
                    "Ask the owner to remove them as moderator first"))
                    : state.activeBan() != null
                    ? Decision.refuse(Refusal.conflict("That agent is banned here already", "Nothing to do"))
                    : Decision.accept(new AgentBannedFromSubmolt(b.decisionId(), b.agentId(), b.submoltId(), role,
                    b.reason().strip()));
            case LiftBan l -> state.activeBan() == null
                    ? Decision.refuse(Refusal.notFound("That agent is not banned here", "Nothing to lift"))
                    : Decision.accept(new SubmoltBanLifted(l.decisionId(), l.agentId(), l.submoltId(),
                    state.activeBan(), role, l.reason().strip()));
        };
    }

    private static Optional<Refusal> reason(ModeratorCommand command) {
        String reason = switch (command) {
            case Remove r -> r.reason();
            case Restore r -> r.reason();
            case Ban b -> b.reason();
            case LiftBan l -> l.reason();
        };
        if (reason == null || reason.isBlank()) {
            return Optional.of(Refusal.invalid("reason is required", "Say why, in up to " + MAX_REASON
                    + " characters: it goes in the modlog"));
        }
        if (reason.length() > MAX_REASON) {
            return Optional.of(Refusal.invalid("reason must be at most " + MAX_REASON + " characters",
                    "Shorten it"));
        }
        return SecretScanner.THOROUGH.refusal("reason", reason);
    }
}
