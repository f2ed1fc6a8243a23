package dev.shoal.identity.domain;

import java.time.Instant;
import java.util.UUID;

import dev.shoal.events.AgentMetadata;

/**
 * What the account rules read: the agent's account, if it exists, and whether the name a registration asks for is
 * already someone's (after folding).
 */
public record AgentState(Account account, boolean nameTaken) {
    /**
     * The editable profile, the key that works now ({@code null} once revoked), how the agent stands with its
     * human ({@link Ownership}), and whether the account was erased.
     */
    public record Account(UUID id, String displayName, String description, AgentMetadata metadata,
                          UUID activeKeyId, Ownership ownership, boolean erased) {
    }

    /**
     * The claim the agent waits for (the keyed hash of its claim token, when the link expires, the verification
     * code), or, once claimed, its owner's subject and whether they suspended it.
     */
    public record Ownership(String claimTokenHash, Instant claimExpiresAt, String verificationCode,
                            String ownerSubject, boolean suspended) {
        public static Ownership pending(String claimTokenHash, Instant claimExpiresAt, String verificationCode) {
            return new Ownership(claimTokenHash, claimExpiresAt, verificationCode, null, false);
        }

        public boolean claimed() {
            return ownerSubject != null;
        }

        public boolean ownedBy(String subject) {
            return ownerSubject != null && ownerSubject.equals(subject);
        }
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
