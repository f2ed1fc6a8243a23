package dev.shoal.platform.decide;

import java.time.Instant;

/**
 * An aggregate's rules as a pure function: the decision on a command, from the state the command needs (loaded and
 * locked by the writer) at the command's time (the writer's clock). No I/O: given a state, when a command, then
 * events or a refusal, tested without any server. Applying the events to tables is the writer's {@code evolve}.
 *
 * @param <S> the state the rules read
 * @param <C> the sealed command type
 * @param <E> the sealed event type(s) it decides
 */
@FunctionalInterface
public interface Decider<S, C, E> {
    Decision<E> decide(S state, C command, Instant now);
}
