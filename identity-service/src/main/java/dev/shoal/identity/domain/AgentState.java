package dev.shoal.identity.domain;

import java.util.UUID;

import dev.shoal.events.AgentMetadata;

/**
 * What the account rules read: the agent's account, if it exists, and whether the name a registration asks for is
 * already someone's (after folding).
 */
public record AgentState(Account account, boolean nameTaken) {
    /** The editable profile and the key that works now ({@code null} once revoked). */
    public record Account(UUID id, String displayName, String description, AgentMetadata metadata,
                          UUID activeKeyId) {
    }

    public static AgentState of(Account account) {
        return new AgentState(account, false);
    }

    public static AgentState nameFree() {
        return new AgentState(null, false);
    }

    public static AgentState nameTakenAlready() {
        return new AgentState(null, true);
    }
}
