package dev.shoal.moderation.projection;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.ReportCommand;
import dev.shoal.moderation.domain.ReportDecider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/** Reports ({@code report}), on the stream of the agent reported; they evolve through {@link Decisions#evolve}. */
@ApplicationScoped
public class Reports implements WriteModel<ReportDecider.State, ReportCommand, ModerationEvent> {
    private final ReportDecider decider;
    private final Decisions decisions;

    public Reports(Decisions decisions, ModerationConfig config) {
        this.decisions = decisions;
        this.decider = new ReportDecider(config.reportsPerHour());
    }

    @Override
    public Uni<StreamId> stream(ReportCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.MODERATION, command.agentId().toString()));
    }

    @Override
    public Uni<ReportDecider.State> load(ReportCommand c) {
        // Counted across streams: the limit is approximate under a burst of parallel reports on many targets.
        return ReportRow.count("reporterId = ?1 and targetId = ?2 and resolvedAt is null", c.reporterId(),
                        c.targetId())
                .chain(open -> ReportRow.count("reporterId = ?1 and filedAt > ?2", c.reporterId(),
                                Instant.now().minus(1, ChronoUnit.HOURS))
                        .map(lately -> new ReportDecider.State(open > 0, (int) Math.min(lately, Integer.MAX_VALUE))));
    }

    @Override
    public Decision<ModerationEvent> decide(ReportDecider.State state, ReportCommand command, Instant now) {
        return decider.decide(state, command);
    }

    @Override
    public Uni<Void> evolve(ModerationEvent event, EventEnvelope envelope) {
        return decisions.evolve(event, envelope);
    }
}
