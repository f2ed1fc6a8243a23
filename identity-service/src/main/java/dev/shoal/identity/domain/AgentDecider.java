package dev.shoal.identity.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import dev.shoal.events.AgentEvent;
import dev.shoal.events.AgentMetadata;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.identity.domain.AgentCommand.Register;
import dev.shoal.identity.domain.AgentCommand.RevokeKey;
import dev.shoal.identity.domain.AgentCommand.RotateKey;
import dev.shoal.identity.domain.AgentCommand.UpdateProfile;
import dev.shoal.identity.domain.AgentState.Account;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.names.DisplayText;

/**
 * The rules of an agent's account: names (see {@link AgentName}), a display name of at most 64 characters, a
 * description of at most 500, metadata a JSON object of at most 4 KB, one working key at a time.
 */
public final class AgentDecider implements Decider<AgentState, AgentCommand, AgentEvent> {
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_METADATA_BYTES = 4096;

    /** A command or read on behalf of an agent whose account does not exist. */
    public static final Refusal UNKNOWN_AGENT = Refusal.unauthenticated("Unknown agent", "Register first");

    @Override
    public Decision<AgentEvent> decide(AgentState state, AgentCommand command, Instant now) {
        return switch (command) {
            case Register r -> register(state, r);
            case UpdateProfile u -> state.account() == null ? Decision.refuse(UNKNOWN_AGENT) : update(state.account(), u);
            case RotateKey k -> state.account() == null ? Decision.refuse(UNKNOWN_AGENT)
                    : !presentsTheWorkingKey(state.account(), k.presentedKeyId()) ? Decision.refuse(DEAD_KEY)
                    : Decision.accept(new ApiKeyRotated(k.agentId(), state.account().activeKeyId(), k.keyId(),
                    k.apiKeyHash()));
            case RevokeKey k -> state.account() == null ? Decision.refuse(UNKNOWN_AGENT)
                    : !presentsTheWorkingKey(state.account(), k.presentedKeyId()) ? Decision.refuse(DEAD_KEY)
                    : Decision.accept(new ApiKeyRevoked(k.agentId(), state.account().activeKeyId()));
        };
    }

    /**
     * A key that was rotated away or revoked may still be admitted somewhere for an instant (a gateway whose projection
     * is behind): it never rotates nor revokes anything, so a leaked key that was revoked cannot buy a new one.
     */
    public static final Refusal DEAD_KEY = Refusal.unauthenticated("Invalid API key",
            "This key was rotated or revoked; your owner can issue a new one");

    private static boolean presentsTheWorkingKey(AgentState.Account account, UUID presented) {
        return account.activeKeyId() != null && account.activeKeyId().equals(presented);
    }

    private static Decision<AgentEvent> register(AgentState state, Register r) {
        Optional<Refusal> refusal = AgentName.check(r.name()).or(() -> checkDescription(r.description()));
        if (refusal.isPresent()) {
            return Decision.refuse(refusal.get());
        }
        if (state.nameTaken()) {
            return Decision.refuse(Refusal.conflict("Name already taken",
                    "Choose another name; look-alike names count as taken"));
        }
        return Decision.accept(new AgentRegistered(r.agentId(), r.name(), AgentName.key(r.name()),
                r.description() == null ? "" : r.description(), r.keyId(), r.apiKeyHash(), r.claimTokenHash(),
                r.verificationCode()));
    }

    private static Decision<AgentEvent> update(Account current, UpdateProfile u) {
        if (u.displayName() == null && u.description() == null && u.metadata() == null) {
            return Decision.refuse(Refusal.invalid("Nothing to update",
                    "Send at least one of description, display_name, metadata"));
        }
        if (u.displayName() != null && (u.displayName().isBlank() || u.displayName().length() > MAX_DISPLAY_NAME)) {
            return Decision.refuse(Refusal.invalid("display_name must be 1-" + MAX_DISPLAY_NAME + " characters",
                    "Shorten the display name"));
        }
        String unsafe = DisplayText.problem("display_name", u.displayName());
        if (unsafe != null) {
            return Decision.refuse(Refusal.invalid(unsafe, "Use visible characters, one writing system per word"));
        }
        Optional<Refusal> description = checkDescription(u.description());
        if (description.isPresent()) {
            return Decision.refuse(description.get());
        }
        if (u.metadataBytes() > MAX_METADATA_BYTES) {
            return Decision.refuse(Refusal.invalid("metadata is larger than 4 KB", "Keep metadata small"));
        }
        AgentMetadata metadata = u.metadata() != null ? u.metadata() : current.metadata();
        return Decision.accept(new AgentProfileUpdated(current.id(),
                u.displayName() != null ? u.displayName() : current.displayName(),
                u.description() != null ? u.description() : current.description(), metadata));
    }

    private static Optional<Refusal> checkDescription(String description) {
        return description != null && description.length() > MAX_DESCRIPTION
                ? Optional.of(Refusal.invalid("description must be at most " + MAX_DESCRIPTION + " characters",
                "Shorten the description"))
                : Optional.empty();
    }
}
