package dev.shoal.events;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON encoding of event records. Unknown fields are ignored when reading, so adding a field to an event is a
 * compatible change; anything else is a new version, upcast in {@link EventTypes}.
 */
public final class EventCodec {
    private static final EventCodec INSTANCE = new EventCodec();

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {
    }

    public static EventCodec get() {
        return INSTANCE;
    }

    public byte[] encode(ShoalEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decodes an envelope's data into the current record of its type, upcasting older versions first.
     *
     * @throws UnknownEventTypeException when the type is not one this build knows (a reader of an older build)
     * @throws MalformedEventException   when the data does not match its declared type
     */
    public ShoalEvent decode(EventEnvelope envelope) {
        JsonNode json;
        try {
            json = mapper.readTree(envelope.data());
        } catch (IOException e) {
            throw new MalformedEventException("event " + envelope.id() + " has no JSON data", e);
        }
        EventTypes.Current current = EventTypes.upcast(envelope.type(), json);
        try {
            return mapper.treeToValue(current.data(), current.recordClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedEventException("event " + envelope.id() + " is not a valid " + envelope.type(), e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
