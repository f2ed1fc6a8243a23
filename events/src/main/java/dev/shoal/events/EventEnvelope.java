package dev.shoal.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as it travels: the CloudEvents 1.0 attributes (binary mode, as Kafka headers) plus Shoal's
 * {@code actor} and {@code correlationid} extensions, and the JSON {@code data}.
 *
 * @param id            UUIDv7, unique for every event ever written; consumers drop duplicates by it
 * @param source        the service that wrote it, e.g. {@code identity-service}
 * @param type          {@code shoal.<aggregate>.<fact>.v<N>}
 * @param subject       the aggregate id, also the Kafka key
 * @param time          when the fact happened (the commit of the command that caused it)
 * @param actor         who caused it: an agent id, a human subject, or {@code system}
 * @param correlationId the request id that caused it
 * @param aggregateVersion the subject's version once this event is applied: 1 for its first event, one more for each
 *                      next; consumers can tell a gap or a repeat from it. 0 for events written before versions
 *                      existed (and by tools that write no aggregate)
 * @param data          the JSON of the event record
 */
public record EventEnvelope(UUID id, String source, String type, String subject, Instant time, String actor,
                            String correlationId, long aggregateVersion, byte[] data) {
    public static final String SYSTEM_ACTOR = "system";
    public static final long UNVERSIONED = 0;

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(data, "data");
        if (aggregateVersion < 0) {
            throw new IllegalArgumentException("aggregateVersion must not be negative");
        }
    }

    /**
     * Wraps a new event caused by {@code actor} during request {@code correlationId}. Its source is the owner of its
     * family's topic: only that service writes it.
     */
    public static EventEnvelope of(ShoalEvent event, String actor, String correlationId, Instant time) {
        return of(event, actor, correlationId, time, UNVERSIONED);
    }

    /** As {@link #of(ShoalEvent, String, String, Instant)}, for the event that brings its subject to {@code version}. */
    public static EventEnvelope of(ShoalEvent event, String actor, String correlationId, Instant time, long version) {
        EventCodec codec = EventCodec.get();
        return new EventEnvelope(UuidV7.next(), event.topic().owner(), EventTypes.typeOf(event), event.subject(), time,
                actor, correlationId, version, codec.encode(event));
    }
}
