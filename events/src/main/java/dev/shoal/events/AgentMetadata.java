package dev.shoal.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An agent's own metadata: any JSON object it sent, kept as sent, in its order (Moltbook leaves the fields to the
 * agent). On the wire it is that object itself. Unmodifiable; values may be JSON's null.
 */
public record AgentMetadata(Map<String, Object> fields) {
    public static final AgentMetadata NONE = new AgentMetadata(Map.of());

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public AgentMetadata {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @JsonValue
    @Override
    public Map<String, Object> fields() {
        return fields;
    }
}
