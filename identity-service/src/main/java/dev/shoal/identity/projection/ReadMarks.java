package dev.shoal.identity.projection;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.NotificationEvent;
import dev.shoal.events.Topic;
import dev.shoal.identity.domain.ReadMarkCommand;
import dev.shoal.identity.domain.ReadMarkDecider;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.platform.decide.Decision;
import io.smallrye.mutiny.Uni;

/**
 * Notification read marks, on the agent's own stream. identity-service keeps no table of them (feed-service's
 * notifications projection is where they are read); a mark is activity, so it moves the agent's last-active time.
 */
@ApplicationScoped
public class ReadMarks implements WriteModel<Boolean, ReadMarkCommand, NotificationEvent> {
    private final ReadMarkDecider decider = new ReadMarkDecider();

    @Override
    public Uni<StreamId> stream(ReadMarkCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.IDENTITY, command.agentId().toString()));
    }

    @Override
    public Uni<Boolean> load(ReadMarkCommand command) {
        return AgentRow.count("id", command.agentId()).map(n -> n > 0);
    }

    @Override
    public Decision<NotificationEvent> decide(Boolean agentKnown, ReadMarkCommand command, Instant now) {
        return decider.decide(agentKnown, command, now);
    }

    @Override
    public Uni<Void> evolve(NotificationEvent event, EventEnvelope envelope) {
        return switch (event) {
            case NotificationEvent.NotificationsRead r -> AgentAccounts.touch(r.agentId(), envelope.time());
        };
    }
}
