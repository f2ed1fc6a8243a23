package dev.shoal.platform.write;

import java.time.Instant;
import java.util.List;

import dev.shoal.events.EventEnvelope;

/**
 * What a committed command did: the state its rule read, the events decided (empty when it changed nothing) and the
 * envelopes they were recorded in, and the command's time. The HTTP answer is built from these, after the commit.
 */
public record Written<S, E>(S before, List<E> events, List<EventEnvelope> envelopes, Instant at) {
    public Written {
        events = List.copyOf(events);
        envelopes = List.copyOf(envelopes);
    }
}
