package dev.shoal.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;

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

    /**
     * Events with their own times, each on its family's topic, in order, each written with its topic owner's login (so
     * through the broker's ACLs, as the owner's outbox relay would); the actor is the aggregate (an agent acting on
     * itself).
     */
    public static void publishTimed(List<Timed> events) {
        Map<String, KafkaProducer<String, byte[]>> producers = new HashMap<>();
        try {
            for (Timed t : events) {
                Topic topic = t.event().topic();
                producers.computeIfAbsent(topic.owner(), owner -> new KafkaProducer<>(SharedInfra.get().kafkaAs(owner),
                                new StringSerializer(), new ByteArraySerializer()))
                        .send(CloudEventHeaders.toRecord(topic.id(), EventEnvelope.of(t.event(), t.event().subject(),
                                "test", t.at())));
            }
        } finally {
            producers.values().forEach(KafkaProducer::close);
        }
    }

    /**
     * Writes one event with any login and any {@code ce_source} (a forger's), and waits for the broker's answer: throws
     * what the broker refused with.
     */
    public static void publishAs(Map<String, Object> login, String source, ShoalEvent event) throws Exception {
        Map<String, Object> config = new HashMap<>(login);
        config.put("max.block.ms", 5000);
        config.put("delivery.timeout.ms", 5000);
        config.put("request.timeout.ms", 4000);
        config.put("retries", 0);
        EventEnvelope ordinary = EventEnvelope.of(event, event.subject(), "test", Instant.now());
        EventEnvelope e = new EventEnvelope(ordinary.id(), source, ordinary.type(), ordinary.subject(),
                ordinary.time(), ordinary.actor(), ordinary.correlationId(), ordinary.aggregateVersion(),
                ordinary.data());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(CloudEventHeaders.toRecord(event.topic().id(), e)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException ex) {
            throw ex.getCause() instanceof Exception c ? c : ex;
        }
    }

    /**
     * The envelopes under {@code key} on {@code topic}, in offset order, read from the beginning until {@code expected}
     * arrived or {@code timeout} passed (the caller asserts on what it got).
     */
    public static List<EventEnvelope> read(Topic topic, String key, int expected, Duration timeout) {
        List<EventEnvelope> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                SharedInfra.get().kafkaAdmin(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.id()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(rec.key())) {
                        found.add(CloudEventHeaders.fromRecord(rec));
                    }
                }
            }
        }
        return found;
    }
}
