package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.ModeratorCommand;
import dev.shoal.moderation.domain.ModeratorCommand.Ban;
import dev.shoal.moderation.domain.ModeratorCommand.LiftBan;
import dev.shoal.moderation.domain.ModeratorCommand.Remove;
import dev.shoal.moderation.domain.ModeratorCommand.Restore;
import dev.shoal.moderation.domain.ModeratorDecider;
import dev.shoal.moderation.domain.ModeratorState;
import dev.shoal.moderation.domain.ModeratorState.ActiveHide;
import dev.shoal.moderation.domain.ModeratorState.Role;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/**
 * Submolt moderators' actions, on the stream of the agent each concerns; they change the same tables as every other
 * decision ({@link Decisions#evolve}). The roles come from {@link Signals}, the state of the content and of bans from
 * the decisions themselves.
 */
@ApplicationScoped
public class ModeratorActions implements WriteModel<ModeratorState, ModeratorCommand, ModerationEvent> {
    private static final List<String> HIDE_AND_RESTORE = List.of("content-hidden", "content-restored");
    private static final List<String> BAN_AND_LIFT = List.of("banned-from-submolt", "submolt-ban-lifted");
    private final ModeratorDecider decider = new ModeratorDecider();
    private final Decisions decisions;

    public ModeratorActions(Decisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public Uni<StreamId> stream(ModeratorCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.MODERATION, command.agentId().toString()));
    }

    @Override
    public Uni<ModeratorState> load(ModeratorCommand command) {
        UUID submolt = switch (command) {
            case Remove r -> r.content().submoltId();
            case Restore r -> r.content().submoltId();
            case Ban b -> b.submoltId();
            case LiftBan l -> l.submoltId();
        };
        return role(submolt, command.moderatorId()).chain(moderator -> role(submolt, command.agentId())
                .chain(concerned -> switch (command) {
                    case Remove r -> activeHide(r.content().id()).map(h -> new ModeratorState(moderator, concerned,
                            h, null));
                    case Restore r -> activeHide(r.content().id()).map(h -> new ModeratorState(moderator, concerned,
                            h, null));
                    case Ban b -> activeBan(b.agentId(), submolt).map(ban -> new ModeratorState(moderator,
                            concerned, null, ban));
                    case LiftBan l -> activeBan(l.agentId(), submolt).map(ban -> new ModeratorState(moderator,
                            concerned, null, ban));
                }));
    }

    private static Uni<Role> role(UUID submolt, UUID agent) {
        if (submolt == null || agent == null) {
            return Uni.createFrom().item(Role.NONE);
        }
        return SubmoltRoleRow.<SubmoltRoleRow>findById(new SubmoltRoleRow.Key(submolt, agent))
                .map(r -> r == null ? Role.NONE : Role.of(r.role));
    }

    /** The decision that hides the content now: the latest hide, unless a restore came after it. */
    private static Uni<ActiveHide> activeHide(UUID target) {
        return DecisionRow.<DecisionRow>find("targetId = ?1 and kind in ?2 order by decidedAt desc", target,
                HIDE_AND_RESTORE).firstResult().map(d -> d == null || !"content-hidden".equals(d.kind) ? null
                : new ActiveHide(d.decisionId, d.moderator != null && d.moderator.startsWith("submolt-")));
    }

    /** The ban of the agent from the submolt in force now, if any. */
    private static Uni<UUID> activeBan(UUID agent, UUID submolt) {
        return DecisionRow.<DecisionRow>find("agentId = ?1 and submoltId = ?2 and kind in ?3 order by decidedAt desc",
                agent, submolt, BAN_AND_LIFT).firstResult()
                .map(d -> d == null || !"banned-from-submolt".equals(d.kind) ? null : d.decisionId);
    }

    @Override
    public Decision<ModerationEvent> decide(ModeratorState state, ModeratorCommand command, Instant now) {
        return decider.decide(state, command);
    }

    @Override
    public Uni<Void> evolve(ModerationEvent event, EventEnvelope envelope) {
        return decisions.evolve(event, envelope);
    }
}
