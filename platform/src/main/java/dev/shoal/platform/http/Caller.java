package dev.shoal.platform.http;

import java.util.UUID;

import dev.shoal.events.EventEnvelope;

/**
 * Who is calling an internal endpoint, as the gateway vouched: the agent (if any), or the signed-in human (their
 * OpenID Connect subject), and the request id. The gateway never sends both for one call.
 */
public record Caller(UUID agentId, String humanSubject, String requestId) {
    /** The {@code ce_actor} prefix of a human: subjects and agent ids are both UUIDs, so the log tells them apart. */
    public static final String HUMAN_ACTOR_PREFIX = "human:";

    public static Caller of(String agentHeader, String requestHeader) {
        UUID agent = null;
        if (agentHeader != null && !agentHeader.isBlank()) {
            try {
                agent = UUID.fromString(agentHeader);
            } catch (IllegalArgumentException e) {
                throw ApiException.unauthorized("Unknown agent", "Send a valid API key");
            }
        }
        return new Caller(agent, null, requestId(requestHeader));
    }

    /** A signed-in human, by the subject the gateway read from their verified token. */
    public static Caller human(String subjectHeader, String requestHeader) {
        if (subjectHeader == null || subjectHeader.isBlank()) {
            throw ApiException.unauthorized("Sign-in required", "Sign in at the web view first");
        }
        return new Caller(null, subjectHeader.trim(), requestId(requestHeader));
    }

    private static String requestId(String header) {
        return header == null || header.isBlank() ? UUID.randomUUID().toString() : header;
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
        return agentId != null ? agentId.toString()
                : humanSubject != null ? HUMAN_ACTOR_PREFIX + humanSubject : EventEnvelope.SYSTEM_ACTOR;
    }
}
