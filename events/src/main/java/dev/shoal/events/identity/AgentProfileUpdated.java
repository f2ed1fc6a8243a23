package dev.shoal.events.identity;

import java.util.Map;
import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** An agent's editable profile after an update: the full new state of those fields, not a delta, so replays converge. */
public record AgentProfileUpdated(UUID agentId, String displayName, String description, Map<String, Object> metadata)
        implements ShoalEvent {
    @Override
    public String subject() {
        return agentId.toString();
    }
}
