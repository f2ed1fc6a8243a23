package dev.shoal.platform.projection;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;

/** An event as a projection sees it: decoded, with its envelope and its place in the log. */
public record ProjectedEvent(String topic, int partition, long offset, EventEnvelope envelope, ShoalEvent event) {
}
