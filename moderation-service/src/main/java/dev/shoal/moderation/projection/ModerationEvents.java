package dev.shoal.moderation.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.platform.write.OwnEvents;

/** moderation-service's own events ({@code shoal.moderation}) and who applies them, for a restore from the log. */
@ApplicationScoped
public class ModerationEvents implements OwnEvents {
    private final Decisions decisions;

    public ModerationEvents(Decisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.MODERATION);
    }

    @Override
    public Uni<Void> evolve(ShoalEvent event, EventEnvelope envelope) {
        if (event instanceof ModerationEvent m) {
            return decisions.evolve(m, envelope);
        }
        throw new IllegalArgumentException(event.getClass().getSimpleName() + " is not an event of moderation-service");
    }
}
