package dev.shoal.platform.decide;

import java.util.List;
import java.util.Objects;

/**
 * What a decider answers to a command: the events that follow from it (possibly none: the command changes nothing,
 * like following someone already followed), or a refusal. Events are facts the writer will record as they are.
 */
public sealed interface Decision<E> {
    record Accepted<E>(List<E> events) implements Decision<E> {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    record Rejected<E>(Refusal refusal) implements Decision<E> {
        public Rejected {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    @SafeVarargs
    static <E> Decision<E> accept(E... events) {
        return new Accepted<>(List.of(events));
    }

    static <E> Decision<E> nothing() {
        return new Accepted<>(List.of());
    }

    static <E> Decision<E> refuse(Refusal refusal) {
        return new Rejected<>(refusal);
    }

    /** The events; throws {@link Refused} for a rejection. */
    default List<E> eventsOrThrow() {
        return switch (this) {
            case Accepted<E> a -> a.events();
            case Rejected<E> r -> throw r.refusal().asException();
        };
    }
}
