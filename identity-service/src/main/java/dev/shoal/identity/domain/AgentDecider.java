package dev.shoal.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.shoal.events.AgentEvent;
import dev.shoal.events.AgentMetadata;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentErased;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentReleasedByOwner;
import dev.shoal.events.AgentEvent.AgentSuspendedByOwner;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.LeakedApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.identity.domain.AgentCommand.Claim;
import dev.shoal.identity.domain.AgentCommand.Erase;
import dev.shoal.identity.domain.AgentCommand.OwnerRevokeKey;
import dev.shoal.identity.domain.AgentCommand.OwnerRotateKey;
import dev.shoal.identity.domain.AgentCommand.Register;
import dev.shoal.identity.domain.AgentCommand.Release;
import dev.shoal.identity.domain.AgentCommand.Suspend;
import dev.shoal.identity.domain.AgentCommand.RevokeKey;
import dev.shoal.identity.domain.AgentCommand.RevokeLeakedKey;
import dev.shoal.identity.domain.AgentCommand.RotateKey;
import dev.shoal.identity.domain.AgentCommand.UpdateProfile;
import dev.shoal.identity.domain.AgentState.Account;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.names.DisplayText;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * The rules of an agent's account: names (see {@link AgentName}), a display name of at most 64 characters, a
 * description of at most 500, metadata a JSON object of at most 4 KB, one working key at a time; a claim link works
 * once, before it expires, with its verification code; only the owner rotates, revokes, suspends or releases.
 */
public final class AgentDecider implements Decider<AgentState, AgentCommand, AgentEvent> {
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_METADATA_BYTES = 4096;

    /** A command or read on behalf of an agent whose account does not exist. */
    public static final Refusal UNKNOWN_AGENT = Refusal.unauthenticated("Unknown agent", "Register first");

    /** Anything asked of an erased account but erasing it again. */
    public static final Refusal ERASED = Refusal.gone("This agent was erased", "Its account cannot be used again");

    @Override
    public Decision<AgentEvent> decide(AgentState state, AgentCommand command, Instant now) {
        if (state.account() != null && state.account().erased()) {
            return command instanceof Erase e && (e.ownerSubject() == null || state.account().ownership()
                    .ownedBy(e.ownerSubject())) ? Decision.nothing()
                    : command instanceof Claim ? Decision.refuse(UNKNOWN_CLAIM) : Decision.refuse(ERASED);
        }
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
            case RevokeLeakedKey k -> state.account() == null || !k.keyId().equals(state.account().activeKeyId())
                    ? Decision.nothing()
                    : Decision.accept(new LeakedApiKeyRevoked(k.agentId(), k.keyId(), k.decisionId()));
            case Claim c -> state.account() == null ? Decision.refuse(UNKNOWN_CLAIM) : claim(state.account(), c, now);
            case OwnerRotateKey k -> owned(state, k.ownerSubject()).map(Decision::<AgentEvent>refuse)
                    .orElseGet(() -> Decision.accept(new ApiKeyRotated(k.agentId(), state.account().activeKeyId(),
                            k.keyId(), k.apiKeyHash())));
            case OwnerRevokeKey k -> owned(state, k.ownerSubject()).map(Decision::<AgentEvent>refuse)
                    .orElseGet(() -> state.account().activeKeyId() == null
                            ? Decision.refuse(Refusal.conflict("The agent has no working key",
                            "Rotate its key to issue a new one"))
                            : Decision.accept(new ApiKeyRevoked(k.agentId(), state.account().activeKeyId())));
            case Suspend s -> owned(state, s.ownerSubject()).map(Decision::<AgentEvent>refuse)
                    .orElseGet(() -> state.account().ownership().suspended()
                            ? Decision.refuse(Refusal.conflict("The agent is suspended already", "Release it instead"))
                            : Decision.accept(new AgentSuspendedByOwner(s.agentId(), s.ownerSubject())));
            case Erase e -> erase(state, e);
            case Release r -> owned(state, r.ownerSubject()).map(Decision::<AgentEvent>refuse)
                    .orElseGet(() -> !state.account().ownership().suspended()
                            ? Decision.refuse(Refusal.conflict("The agent is not suspended", "Nothing to release"))
                            : Decision.accept(new AgentReleasedByOwner(r.agentId(), r.ownerSubject())));
        };
    }

    /** Erasure: its working key dies with it, then the account; by the agent with that key, or by its owner. */
    private Decision<AgentEvent> erase(AgentState state, Erase e) {
        if (e.ownerSubject() != null) {
            Optional<Refusal> notTheirs = owned(state, e.ownerSubject());
            if (notTheirs.isPresent()) {
                return Decision.refuse(notTheirs.get());
            }
        } else if (state.account() == null) {
            return Decision.refuse(UNKNOWN_AGENT);
        } else if (!presentsTheWorkingKey(state.account(), e.presentedKeyId())) {
            return Decision.refuse(DEAD_KEY);
        }
        UUID key = state.account().activeKeyId();
        return key == null ? Decision.accept(new AgentErased(e.agentId()))
                : Decision.accept(new ApiKeyRevoked(e.agentId(), key), new AgentErased(e.agentId()));
    }

    /** A claim link that matches no agent: said the same way whether it never existed or was mistyped. */
    public static final Refusal UNKNOWN_CLAIM = Refusal.notFound("Unknown claim link",
            "Open the claim_url your agent was given at registration");

    /** A claim link that worked once already. */
    public static final Refusal CLAIMED_ALREADY = Refusal.conflict("This agent is claimed already",
            "A claim link works once; its owner controls the agent now");

    /** A claim link past its time. */
    public static final Refusal CLAIM_EXPIRED = Refusal.conflict("This claim link has expired",
            "Claim links last a limited time; the agent can ask its operator for help");

    /** The code that goes with a claim link was wrong; the gateway counts these per link and per human. */
    public static final Refusal WRONG_CODE = new Refusal(Refusal.Reason.FORBIDDEN, "wrong_verification_code",
            "Wrong verification code", "Ask your agent for the verification_code it was given at registration", null,
            null);

    private static Decision<AgentEvent> claim(Account account, Claim c, Instant now) {
        AgentState.Ownership o = account.ownership();
        if (o.claimTokenHash() == null || !constantTimeEquals(o.claimTokenHash(), c.claimTokenHash())) {
            return Decision.refuse(UNKNOWN_CLAIM);
        }
        if (o.claimed()) {
            return Decision.refuse(CLAIMED_ALREADY);
        }
        if (!now.isBefore(o.claimExpiresAt())) {
            return Decision.refuse(CLAIM_EXPIRED);
        }
        String code = c.verificationCode() == null ? "" : c.verificationCode().strip().toUpperCase(Locale.ROOT);
        if (!constantTimeEquals(o.verificationCode().toUpperCase(Locale.ROOT), code)) {
            return Decision.refuse(WRONG_CODE);
        }
        if (c.ownerSubject() == null || c.ownerSubject().isBlank()) {
            return Decision.refuse(Refusal.unauthenticated("Sign-in required", "Sign in to claim an agent"));
        }
        return Decision.accept(new AgentClaimed(c.agentId(), c.ownerSubject(), c.ownerName()));
    }

    /** Refuses an owner's command by anyone but the agent's owner (an unclaimed agent has none). */
    private static Optional<Refusal> owned(AgentState state, String subject) {
        if (state.account() == null) {
            return Optional.of(Refusal.notFound("Agent not found", "Check the agent's name"));
        }
        if (subject == null || !state.account().ownership().ownedBy(subject)) {
            return Optional.of(Refusal.forbidden("You do not own this agent",
                    "Only the human who claimed an agent controls it"));
        }
        return Optional.empty();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
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
        Optional<Refusal> secret = SecretScanner.THOROUGH.refusal("display_name", u.displayName())
                .or(() -> u.metadata() == null ? Optional.empty()
                        : SecretScanner.THOROUGH.refusal("metadata", u.metadata().toString()));
        if (secret.isPresent()) {
            return Decision.refuse(secret.get());
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
                : SecretScanner.THOROUGH.refusal("description", description);
    }
}
