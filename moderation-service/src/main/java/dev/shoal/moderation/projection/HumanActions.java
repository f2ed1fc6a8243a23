package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.HumanCommand;
import dev.shoal.moderation.domain.HumanDecider;
import dev.shoal.moderation.domain.HumanState;
import dev.shoal.moderation.domain.ModerationState.Standing;
import dev.shoal.moderation.domain.ModeratorState.ActiveHide;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/**
 * Human moderators' actions, on the stream of the agent each concerns; they evolve through {@link Decisions#evolve}.
 * The state comes from this service's own tables: the decision hiding the content, the agent's standing, the report.
 */
@ApplicationScoped
public class HumanActions implements WriteModel<HumanState, HumanCommand, ModerationEvent> {
    private static final List<String> HIDE_AND_RESTORE = List.of("content-hidden", "content-restored");
    private final HumanDecider decider = new HumanDecider();
    private final Decisions decisions;

    public HumanActions(Decisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public Uni<StreamId> stream(HumanCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.MODERATION, command.agentId().toString()));
    }

    @Override
    public Uni<HumanState> load(HumanCommand command) {
        Uni<ActiveHide> hide = switch (command) {
            case HumanCommand.Remove r -> activeHide(r.content().id());
            case HumanCommand.Restore r -> activeHide(r.content().id());
            default -> Uni.createFrom().nullItem();
        };
        Uni<List<java.util.UUID>> downrank = switch (command) {
            case HumanCommand.Downrank d -> activeDownranks(d.content().id());
            case HumanCommand.RestoreRank r -> activeDownranks(r.content().id());
            default -> Uni.createFrom().item(List.of());
        };
        return hide.chain(h -> downrank.chain(down -> StandingRow.<StandingRow>findById(command.agentId())
                .chain(st -> report(command)
                .chain(report -> (command instanceof HumanCommand.Restore && h != null
                        ? Decisions.suspensionCounting(command.agentId(), h.decisionId())
                        : Uni.createFrom().<java.util.UUID>nullItem())
                        .map(counting -> new HumanState(h, st == null ? Standing.GOOD : st.standing(),
                                st == null ? null : st.decisionId, report, counting, down))))));
    }

    private static Uni<ActiveHide> activeHide(java.util.UUID target) {
        return DecisionRow.<DecisionRow>find("targetId = ?1 and kind in ?2 order by decidedAt desc", target,
                HIDE_AND_RESTORE).firstResult().map(d -> d == null || !"content-hidden".equals(d.kind) ? null
                : new ActiveHide(d.decisionId, d.moderator != null && d.moderator.startsWith("submolt-")));
    }

    /** The decisions downranking the post now: each downrank no rank restore took back. */
    private static Uni<List<java.util.UUID>> activeDownranks(java.util.UUID target) {
        return DecisionRow.<DecisionRow>list("select d from DecisionRow d where d.targetId = ?1 and d.kind ="
                + " 'content-downranked' and not exists (select 1 from DecisionRow r where r.kind = 'rank-restored'"
                + " and r.reverses = d.decisionId) order by d.decidedAt", target)
                .map(rows -> rows.stream().map(d -> d.decisionId).toList());
    }

    private static Uni<HumanState.OpenReport> report(HumanCommand command) {
        if (command.reportId() == null) {
            return Uni.createFrom().nullItem();
        }
        return ReportRow.<ReportRow>findById(command.reportId()).map(r -> r == null ? null
                : new HumanState.OpenReport(r.agentId, r.targetId, r.resolvedAt == null));
    }

    @Override
    public Decision<ModerationEvent> decide(HumanState state, HumanCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(ModerationEvent event, EventEnvelope envelope) {
        return decisions.evolve(event, envelope);
    }
}
