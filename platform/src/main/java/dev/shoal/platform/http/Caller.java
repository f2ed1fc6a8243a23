package dev.shoal.platform.http;

import java.util.UUID;

import dev.shoal.events.EventEnvelope;

/** Who is calling an internal endpoint, as the gateway vouched: the agent (if any) and the request id. */
public record Caller(UUID agentId, String requestId) {
    public static Caller of(String agentHeader, String requestHeader) {
        UUID agent = null;
        if (agentHeader != null && !agentHeader.isBlank()) {
            try {
                agent = UUID.fromString(agentHeader);
            } catch (IllegalArgumentException e) {
                throw ApiException.unauthorized("Unknown agent", "Send a valid API key");
            }
        }
        String request = requestHeader == null || requestHeader.isBlank() ? UUID.randomUUID().toString() : requestHeader;
        return new Caller(agent, request);
    }

    /** The authenticated agent; refuses anonymous calls. */
    public UUID requireAgent() {
        if (agentId == null) {
            throw ApiException.unauthorized("Authentication required", "Send Authorization: Bearer <api_key>");
        }
        return agentId;
    }

    /** The {@code ce_actor} of events this call causes. */
    public String actor() {
        return agentId == null ? EventEnvelope.SYSTEM_ACTOR : agentId.toString();
    }
}
