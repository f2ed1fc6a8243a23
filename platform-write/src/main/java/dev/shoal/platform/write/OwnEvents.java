package dev.shoal.platform.write;

import java.util.List;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;

/**
 * A service's own events and the write models that apply them: what {@link OwnTablesRestore} replays into empty
 * tables. Each service that owns aggregates has one, in its {@code projection} package.
 */
public interface OwnEvents {
    /** The topics this service writes (it is each one's only writer). */
    List<Topic> topics();

    /** Applies one of its own events through the {@link WriteModel#evolve} of the model that owns its family. */
    Uni<Void> evolve(ShoalEvent event, EventEnvelope envelope);
}
