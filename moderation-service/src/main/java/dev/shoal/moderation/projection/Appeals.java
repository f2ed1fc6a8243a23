package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.AppealCommand;
import dev.shoal.moderation.domain.AppealDecider;
import dev.shoal.moderation.domain.AppealState;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/**
 * Owners' appeals and moderators' answers, on the stream of the agent each concerns; they evolve through
 * {@link Decisions#evolve}. The state: the agent's owner (from {@link Signals}), the decision appealed and whether it
 * is still in force, and the appeal already made of it.
 */
@ApplicationScoped
public class Appeals implements WriteModel<AppealState, AppealCommand, ModerationEvent> {
    private final AppealDecider decider = new AppealDecider();
    private final Decisions decisions;

    public Appeals(Decisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public Uni<StreamId> stream(AppealCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.MODERATION, command.agentId().toString()));
    }

    @Override
    public Uni<AppealState> load(AppealCommand command) {
        return switch (command) {
            case AppealCommand.File f -> AgentOwnerRow.<AgentOwnerRow>findById(f.agentId()).chain(owner ->
                    appealed(f.decisionId()).chain(decision -> AppealRow.<AppealRow>find("decisionId",
                                    f.decisionId()).firstResult()
                            .map(appeal -> new AppealState(owner == null ? null : owner.ownerSubject, decision,
                                    appeal(appeal)))));
            case AppealCommand.Decide d -> AppealRow.<AppealRow>findById(d.appealId()).chain(appeal -> appeal == null
                    ? Uni.createFrom().item(new AppealState(null, null, null))
                    : appealed(appeal.decisionId).chain(decision -> (decision != null && decision.inForce()
                            && "content-hidden".equals(decision.kind())
                            ? Decisions.suspensionCounting(decision.agentId(), decision.decisionId())
                            : Uni.createFrom().<UUID>nullItem())
                            .map(counting -> new AppealState(null, decision, appeal(appeal), counting))));
        };
    }

    private static AppealState.Appeal appeal(AppealRow row) {
        return row == null ? null : new AppealState.Appeal(row.appealId, row.agentId, row.decisionId,
                row.decidedAt != null, row.filedBy);
    }

    /**
     * The decision and whether it is in force now: a hide not restored since; a suspension that is still the agent's
     * standing and has not run out or been lifted.
     */
    private static Uni<AppealState.Appealed> appealed(UUID decisionId) {
        return DecisionRow.<DecisionRow>findById(decisionId).chain(d -> {
            if (d == null) {
                return Uni.createFrom().nullItem();
            }
            Uni<Boolean> inForce = switch (d.kind) {
                case "content-hidden" -> DecisionRow.count("kind = 'content-restored' and reverses = ?1", decisionId)
                        .map(restored -> restored == 0);
                case "agent-suspended" -> StandingRow.<StandingRow>findById(d.agentId).map(st -> st != null
                        && decisionId.equals(st.decisionId)
                        && (st.permanent || (st.suspendedUntil != null && st.suspendedUntil.isAfter(Instant.now()))));
                default -> Uni.createFrom().item(false);
            };
            return inForce.map(active -> new AppealState.Appealed(d.decisionId, d.agentId, d.kind, d.rule,
                    d.targetType == null ? null : "post".equals(d.targetType) ? Target.POST : Target.COMMENT,
                    d.targetId, d.postId, active));
        });
    }

    @Override
    public Decision<ModerationEvent> decide(AppealState state, AppealCommand command, Instant now) {
        return decider.decide(state, command);
    }

    @Override
    public Uni<Void> evolve(ModerationEvent event, EventEnvelope envelope) {
        return decisions.evolve(event, envelope);
    }
}
