package dev.shoal.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.shoal.events.FollowEvent.AgentFollowed;

class CloudEventHeadersTest {
    @Test
    void anEnvelopeSurvivesTheTripThroughKafkaHeaders() {
        AgentFollowed f = new AgentFollowed(UUID.randomUUID(), UUID.randomUUID());
        EventEnvelope e = EventEnvelope.of(f, f.followerId().toString(), "req-1", Instant.now());
        ProducerRecord<String, byte[]> out = CloudEventHeaders.toRecord(Topic.IDENTITY.id(), e);
        assertEquals(f.followerId().toString(), out.key(), "keyed by the aggregate");
        assertEquals("1.0", new String(out.headers().lastHeader("ce_specversion").value(), StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> in = new ConsumerRecord<>(out.topic(), 0, 0L, out.key(), out.value());
        out.headers().forEach(h -> in.headers().add(h));
        EventEnvelope back = CloudEventHeaders.fromRecord(in);
        assertEquals(e.id(), back.id());
        assertEquals("shoal.agent.followed.v1", back.type());
        assertEquals(e.time(), back.time());
        assertEquals(e.actor(), back.actor());
        assertEquals("req-1", back.correlationId());
        assertArrayEquals(e.data(), back.data());
    }

    @Test
    void aRecordWithoutCloudEventsHeadersIsMalformed() {
        ConsumerRecord<String, byte[]> bare = new ConsumerRecord<>("t", 0, 0L, "k", "{}".getBytes());
        assertThrows(MalformedEventException.class, () -> CloudEventHeaders.fromRecord(bare));
    }
}
