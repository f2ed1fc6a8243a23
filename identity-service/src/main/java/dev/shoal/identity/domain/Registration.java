package dev.shoal.identity.domain;

import java.util.UUID;

/** What registration hands back once: the key itself and the claim link for the agent's human. */
public record Registration(UUID agentId, String name, String apiKey, String claimUrl, String verificationCode) {
}
