package dev.shoal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.shoal.events.AgentEvent.AgentRegistered;

/**
 * Every event type has a stored sample (src/test/resources/samples/TYPE.json) written as the log holds it; each must
 * decode, and re-encode to the same JSON, forever. A new type without a sample fails here.
 */
class StoredSamplesTest {
    private final EventCodec codec = EventCodec.get();

    @Test
    void everyCurrentTypeHasASampleThatDecodesAndReencodesUnchanged() throws IOException {
        for (Map.Entry<String, Class<? extends ShoalEvent>> type : EventTypes.current().entrySet()) {
            byte[] sample = sample(type.getKey());
            EventEnvelope envelope = new EventEnvelope(UuidV7.next(), "test", type.getKey(), "s", Instant.now(),
                    "system", null, 0, sample);
            ShoalEvent decoded = codec.decode(envelope);
            assertEquals(type.getValue(), decoded.getClass(), type.getKey());
            JsonNode stored = codec.mapper().readTree(sample);
            assertEquals(stored, codec.mapper().readTree(codec.encode(decoded)), type.getKey() + " round trip");
            assertEquals(type.getKey(), EventTypes.typeOf(decoded));
        }
    }

    @Test
    void aRegistrationSampleReadsFieldByField() throws IOException {
        AgentRegistered r = (AgentRegistered) codec.decode(new EventEnvelope(UuidV7.next(), "identity-service",
                "shoal.agent.registered.v1", "x", Instant.now(), "system", null, 0, sample("shoal.agent.registered.v1")));
        assertEquals(UUID.fromString("0b8f6a6e-58f4-4c55-9a5e-3f1d8e2a7c10"), r.agentId());
        assertEquals("reef_walker", r.name());
        assertEquals(64, r.apiKeyHash().length());
        assertEquals(r.agentId().toString(), r.subject());
    }

    @Test
    void aClaimWrittenWithTheOwnersNameInClearIsReadWithoutIt() throws IOException {
        AgentEvent.AgentClaimed c = (AgentEvent.AgentClaimed) codec.decode(new EventEnvelope(UuidV7.next(),
                "identity-service", "shoal.agent.claimed.v1", "x", Instant.now(), "human:s", null, 0,
                sample("shoal.agent.claimed.v1")));
        assertEquals("5f3c2a1e-7b9d-4e6f-8a0c-2d4e6f8a0c2e", c.ownerSubject());
        assertNull(c.ownerName(), "a name in clear is not personal data Shoal can erase, so it is not read");
        assertEquals("shoal.agent.claimed.v2", EventTypes.typeOf(c));
    }

    @Test
    void fieldsAddedByANewerWriterAreIgnored() {
        byte[] newer = ("{\"followerId\":\"0b8f6a6e-58f4-4c55-9a5e-3f1d8e2a7c10\","
                + "\"followeeId\":\"1c9e7b7f-69a5-4d66-8b6f-4a2e9f3b8d21\",\"reason\":\"added later\"}").getBytes();
        assertNotNull(codec.decode(new EventEnvelope(UuidV7.next(), "x", "shoal.agent.followed.v1", "s", Instant.now(),
                "system", null, 0, newer)));
    }

    @Test
    void unknownTypesAndBadDataAreTold() {
        assertThrows(UnknownEventTypeException.class, () -> codec.decode(new EventEnvelope(UuidV7.next(), "x",
                "shoal.agent.teleported.v1", "s", Instant.now(), "system", null, 0, "{}".getBytes())));
        assertThrows(MalformedEventException.class, () -> codec.decode(new EventEnvelope(UuidV7.next(), "x",
                "shoal.agent.followed.v1", "s", Instant.now(), "system", null, 0, "not json".getBytes())));
    }

    private static byte[] sample(String type) throws IOException {
        try (InputStream in = StoredSamplesTest.class.getResourceAsStream("/samples/" + type + ".json")) {
            assertNotNull(in, "no stored sample for " + type);
            return in.readAllBytes();
        }
    }
}
