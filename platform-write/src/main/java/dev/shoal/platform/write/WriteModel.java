package dev.shoal.platform.write;

import java.time.Instant;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.platform.decide.Decision;

/**
 * One kind of command as the {@link EventWriter} runs it: which stream it writes, the state its rule reads, the rule
 * (a pure decider from the service's {@code domain}), and how each decided event changes the service's tables.
 * {@link #evolve} is the only code that writes those tables, so they are a function of the service's own events.
 * {@link #load} and {@link #evolve} run in the writer's transaction (Panache's current session).
 *
 * @param <S> the state the rule reads
 * @param <C> the command
 * @param <E> the events it may decide, all on {@link #stream}
 */
public interface WriteModel<S, C, E extends ShoalEvent> {
    /**
     * The stream this command appends to; the writer locks it before {@link #load}. A lookup here reads only what
     * never changes (the post a comment is on), since it runs before the lock.
     */
    Uni<StreamId> stream(C command);

    /**
     * This command's stream when it may share one transaction with the other commands on that stream that wait for it
     * in this JVM ({@link EventWriter}); null, the default, runs it in a transaction of its own. A model answers it
     * only when its {@link #load} takes no lock beyond the stream's (two groups would otherwise hold some of each
     * other's locks) and reads with queries what its {@link #evolve} writes with statements (the session flushes
     * entities only at commit), so each command in a group decides on what the ones before it did.
     */
    default StreamId sharedStream(C command) {
        return null;
    }

    /** Reads the state the rule needs (taking any further lock the rule depends on, such as an author's cadence). */
    Uni<S> load(C command);

    /** The pure rule: usually the domain decider itself. */
    Decision<E> decide(S state, C command, Instant now);

    /** Applies one recorded event to the service's tables. */
    Uni<Void> evolve(E event, EventEnvelope envelope);
}
