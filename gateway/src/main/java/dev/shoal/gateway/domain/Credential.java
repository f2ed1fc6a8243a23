package dev.shoal.gateway.domain;

import java.util.UUID;

/**
 * Who a working key authenticates: the agent, and which of its keys it is. The gateway vouches for both, so a
 * command that concerns the key itself (rotate, revoke) acts only while that very key is still the agent's.
 */
public record Credential(UUID agentId, UUID keyId) {
}
