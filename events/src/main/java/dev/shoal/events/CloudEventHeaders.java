package dev.shoal.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Maps an {@link EventEnvelope} to and from a Kafka record in CloudEvents binary content mode. */
public final class CloudEventHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String ACTOR = "ce_actor";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String AGGREGATE_VERSION = "ce_aggregateversion";
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, EventEnvelope e) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, e.subject(), e.data());
        Headers h = record.headers();
        put(h, SPEC_VERSION, "1.0");
        put(h, ID, e.id().toString());
        put(h, SOURCE, e.source());
        put(h, TYPE, e.type());
        put(h, SUBJECT, e.subject());
        put(h, TIME, e.time().toString());
        put(h, ACTOR, e.actor());
        if (e.correlationId() != null) {
            put(h, CORRELATION_ID, e.correlationId());
        }
        if (e.aggregateVersion() != EventEnvelope.UNVERSIONED) {
            put(h, AGGREGATE_VERSION, Long.toString(e.aggregateVersion()));
        }
        put(h, CONTENT_TYPE, "application/json");
        return record;
    }

    /** Reads the envelope of a consumed record; throws {@link MalformedEventException} when a required header is missing. */
    public static EventEnvelope fromRecord(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        try {
            String version = optional(h, AGGREGATE_VERSION);
            return new EventEnvelope(UUID.fromString(required(h, ID)), required(h, SOURCE), required(h, TYPE),
                    required(h, SUBJECT), Instant.parse(required(h, TIME)), required(h, ACTOR),
                    optional(h, CORRELATION_ID), version == null ? EventEnvelope.UNVERSIONED : Long.parseLong(version),
                    r.value() == null ? new byte[0] : r.value());
        } catch (RuntimeException ex) {
            if (ex instanceof MalformedEventException m) {
                throw m;
            }
            throw new MalformedEventException("unreadable CloudEvents headers at " + r.topic() + "-" + r.partition()
                    + "@" + r.offset() + ": " + ex.getMessage(), ex);
        }
    }

    private static void put(Headers h, String key, String value) {
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String required(Headers h, String key) {
        String v = optional(h, key);
        if (v == null) {
            throw new MalformedEventException("missing header " + key, null);
        }
        return v;
    }

    private static String optional(Headers h, String key) {
        Header header = h.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
