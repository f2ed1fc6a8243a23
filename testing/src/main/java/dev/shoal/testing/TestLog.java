package dev.shoal.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;

/** Puts events on the real log as their writer would, so a test can feed a projection exactly what it needs. */
public final class TestLog {
    private TestLog() {
    }

    /** One event, at a chosen time (projections date rows by the event's time). */
    public record Timed(ShoalEvent event, Instant at) {
    }

    public static void publish(ShoalEvent... events) {
        publish(List.of(events));
    }

    /**
     * Events stamped now, one microsecond apart (the precision PostgreSQL keeps), so they keep their order in time
     * too: a test's "older" comment is older, never tied.
     */
    public static void publish(List<? extends ShoalEvent> events) {
        Instant base = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        List<Timed> timed = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            timed.add(new Timed(events.get(i), base.plusNanos(1_000L * i)));
        }
        publishTimed(timed);
    }

    /** Events with their own times, each on its family's topic, in order; the actor is the aggregate (an agent acting on itself). */
    public static void publishTimed(List<Timed> events) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                Map.of("bootstrap.servers", SharedInfra.get().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Timed t : events) {
                p.send(CloudEventHeaders.toRecord(t.event().topic().id(),
                        EventEnvelope.of(t.event(), t.event().subject(), "test", t.at())));
            }
        }
    }
}
