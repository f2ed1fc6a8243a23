package dev.shoal.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentMetadata;
import dev.shoal.events.SealedText;
import dev.shoal.events.AgentEvent;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.LeakedApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentErased;
import dev.shoal.events.AgentEvent.AgentReleasedByOwner;
import dev.shoal.events.AgentEvent.AgentSuspendedByOwner;
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
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/** Given a state, when a command, then events or a refusal: the account rules without any server. */
class AgentDeciderTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final UUID AGENT = UUID.randomUUID();
    static final UUID KEY = UUID.randomUUID();
    final AgentDecider decider = new AgentDecider();

    static Account account(UUID activeKey) {
        return new Account(AGENT, "Reef", "about me", new AgentMetadata(Map.of("lang", "en")), activeKey,
                AgentState.Ownership.pending("claimhash", java.time.Instant.parse("2030-01-01T00:00:00Z"), "reef-AB12"),
                false);
    }

    List<AgentEvent> then(AgentState given, AgentCommand when) {
        return assertInstanceOf(Decision.Accepted.class, decider.decide(given, when, NOW)).events();
    }

    Refusal refused(AgentState given, AgentCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(given, when, NOW)).refusal();
    }

    static Register register(String name, String description) {
        return new Register(AGENT, name, description, KEY, "key-hash", "claim-hash", "reef-AB12");
    }

    @Test
    void aFreeNameRegistersWithItsFoldedKeyAndOnlyHashes() {
        assertEquals(List.of(new AgentRegistered(AGENT, "C1aude_Fan", "claude_fan", "", KEY, "key-hash", "claim-hash",
                "reef-AB12")), then(AgentState.nameFree(), register("C1aude_Fan", null)));
    }

    @Test
    void aTakenNameIsAConflictAndABadNameIsInvalidBeforeThat() {
        assertEquals(Refusal.Reason.CONFLICT, refused(AgentState.nameTakenAlready(), register("claude", "")).reason());
        assertEquals(Refusal.Reason.INVALID, refused(AgentState.nameTakenAlready(), register("a b", "")).reason());
        assertEquals(Refusal.Reason.INVALID, refused(AgentState.nameFree(), register("adm1n", "")).reason());
    }

    @Test
    void descriptionsAreLimitedTo500Characters() {
        assertEquals(1, then(AgentState.nameFree(), register("reef", "x".repeat(500))).size());
        assertEquals("description must be at most 500 characters",
                refused(AgentState.nameFree(), register("reef", "x".repeat(501))).message());
    }

    @Test
    void aProfileUpdateRecordsTheWholeNewProfileKeepingWhatWasLeftOut() {
        AgentState given = AgentState.of(account(KEY));
        assertEquals(List.of(new AgentProfileUpdated(AGENT, "Reef", "new words", new AgentMetadata(Map.of("lang", "en")))),
                then(given, new UpdateProfile(AGENT, null, "new words", null, 0)));
        assertEquals(List.of(new AgentProfileUpdated(AGENT, "Coral", "about me", AgentMetadata.NONE)),
                then(given, new UpdateProfile(AGENT, "Coral", null, AgentMetadata.NONE, 2)));
    }

    @Test
    void profileLimitsAreRefusedAsInvalid() {
        AgentState given = AgentState.of(account(KEY));
        assertEquals("Nothing to update", refused(given, new UpdateProfile(AGENT, null, null, null, 0)).message());
        assertEquals(Refusal.Reason.INVALID, refused(given, new UpdateProfile(AGENT, "x".repeat(65), null, null, 0)).reason());
        // Names read at face value: no direction overrides, no invisible characters, no look-alike letters.
        for (String spoof : new String[] {"evil\u202Egnp", "ad\u200Bmin", "\u0421laude", "Cl\u0430ude"}) {
            assertEquals(Refusal.Reason.INVALID, refused(given, new UpdateProfile(AGENT, spoof, null, null, 0)).reason(),
                    spoof);
        }
        assertEquals(Refusal.Reason.INVALID, refused(given, new UpdateProfile(AGENT, " ", null, null, 0)).reason());
        assertEquals(Refusal.Reason.INVALID, refused(given, new UpdateProfile(AGENT, "a\u0007b", null, null, 0)).reason());
        assertEquals(Refusal.Reason.INVALID, refused(given, new UpdateProfile(AGENT, null, null, AgentMetadata.NONE, 4097)).reason());
        assertEquals(1, then(given, new UpdateProfile(AGENT, "x".repeat(64), null, AgentMetadata.NONE, 4096)).size());
    }

    @Test
    void aProfileHoldingAKeyIsRefusedAndNeverEchoesIt() {
        AgentState given = AgentState.of(account(KEY));
        String key = dev.shoal.platform.security.ApiKeyHasher.newKey();
        for (UpdateProfile u : new UpdateProfile[] {new UpdateProfile(AGENT, null, "my key: " + key, null, 0),
                new UpdateProfile(AGENT, null, null, new AgentMetadata(java.util.Map.of("k", key)), 60),
                new UpdateProfile(AGENT, null, "ghp_" + "a1".repeat(20), null, 0)}) {
            Refusal r = refused(given, u);
            assertEquals("SECRET_DETECTED", r.code(), r.message());
            org.junit.jupiter.api.Assertions.assertFalse((r.message() + r.hint()).contains(key.substring(15)));
        }
        assertEquals("SECRET_DETECTED", refused(AgentState.nameFree(), new Register(AGENT, "leaky_bot",
                "I am " + key, UUID.randomUUID(), "h", "c", "reef-AAAA")).code());
    }

    @Test
    void rotatingReplacesTheWorkingKeyOnlyWithThatKey() {
        UUID next = UUID.randomUUID();
        assertEquals(List.of(new ApiKeyRotated(AGENT, KEY, next, "h2")),
                then(AgentState.of(account(KEY)), new RotateKey(AGENT, KEY, next, "h2")));
        // Found by the review: a revoked key, still admitted by a lagging gateway, must not buy a new key ...
        assertEquals(Refusal.Reason.UNAUTHENTICATED,
                refused(AgentState.of(account(null)), new RotateKey(AGENT, KEY, next, "h2")).reason());
        // ... nor may a key already rotated away rotate again.
        assertEquals(Refusal.Reason.UNAUTHENTICATED,
                refused(AgentState.of(account(KEY)), new RotateKey(AGENT, UUID.randomUUID(), next, "h2")).reason());
        assertEquals(Refusal.Reason.UNAUTHENTICATED,
                refused(AgentState.of(account(KEY)), new RotateKey(AGENT, null, next, "h2")).reason());
    }

    @Test
    void onlyTheWorkingKeyRevokesItself() {
        assertEquals(List.of(new ApiKeyRevoked(AGENT, KEY)), then(AgentState.of(account(KEY)), new RevokeKey(AGENT, KEY)));
        assertEquals(Refusal.Reason.UNAUTHENTICATED,
                refused(AgentState.of(account(null)), new RevokeKey(AGENT, KEY)).reason());
        assertEquals(Refusal.Reason.UNAUTHENTICATED,
                refused(AgentState.of(account(KEY)), new RevokeKey(AGENT, UUID.randomUUID())).reason());
    }

    @Test
    void aLeakedKeyIsRevokedOnlyWhileItIsTheWorkingOneSoARepeatRecordsNothing() {
        UUID decision = UUID.randomUUID();
        assertEquals(List.of(new LeakedApiKeyRevoked(AGENT, KEY, decision)),
                then(AgentState.of(account(KEY)), new RevokeLeakedKey(AGENT, KEY, decision)));
        assertEquals(List.of(), then(AgentState.of(account(null)), new RevokeLeakedKey(AGENT, KEY, decision)),
                "revoked already");
        assertEquals(List.of(), then(AgentState.of(account(UUID.randomUUID())), new RevokeLeakedKey(AGENT, KEY,
                decision)), "rotated since: the leaked key is dead, the new one is not touched");
        assertEquals(List.of(), then(AgentState.of(null), new RevokeLeakedKey(AGENT, KEY, decision)));
    }

    @Test
    void commandsOfAnAgentThatDoesNotExistAreUnauthenticated() {
        AgentState nobody = AgentState.of(null);
        for (AgentCommand c : List.of(new UpdateProfile(AGENT, "x", null, null, 0), new RotateKey(AGENT, KEY, KEY, "h"),
                new RevokeKey(AGENT, KEY))) {
            assertEquals(Refusal.Reason.UNAUTHENTICATED, refused(nobody, c).reason(), c.toString());
        }
    }

    static final String OWNER = "5f3c2a1e-7b9d-4e6f-8a0c-2d4e6f8a0c2e";

    static AgentState owned(UUID activeKey, boolean suspended) {
        return AgentState.of(new Account(AGENT, "Reef", "about me", AgentMetadata.NONE, activeKey,
                new AgentState.Ownership("claimhash", Instant.parse("2030-01-01T00:00:00Z"), "reef-AB12", OWNER,
                        suspended), false));
    }

    @Test
    void aClaimWithTheLinkAndItsCodeMakesTheSignedInHumanTheOwner() {
        SealedText name = new SealedText(UUID.randomUUID(), "bm9uY2U=", "c2VhbGVk");
        assertEquals(List.of(new AgentClaimed(AGENT, OWNER, name)), then(AgentState.of(account(KEY)),
                new Claim(AGENT, "claimhash", "reef-AB12", OWNER, name)));
        // the code as a human types it: case and surrounding spaces do not matter; no name shown is fine
        assertEquals(List.of(new AgentClaimed(AGENT, OWNER, null)), then(AgentState.of(account(KEY)),
                new Claim(AGENT, "claimhash", " reef-ab12 ", OWNER, null)));
    }

    @Test
    void aWrongCodeAnExpiredLinkAReusedLinkAndAnUnknownLinkAreRefused() {
        assertEquals(AgentDecider.WRONG_CODE, refused(AgentState.of(account(KEY)),
                new Claim(AGENT, "claimhash", "reef-AB13", OWNER, null)));
        assertEquals(AgentDecider.WRONG_CODE, refused(AgentState.of(account(KEY)),
                new Claim(AGENT, "claimhash", null, OWNER, null)));
        assertEquals(AgentDecider.UNKNOWN_CLAIM, refused(AgentState.of(account(KEY)),
                new Claim(AGENT, "otherhash", "reef-AB12", OWNER, null)));
        assertEquals(AgentDecider.UNKNOWN_CLAIM, refused(AgentState.of(null),
                new Claim(AGENT, "claimhash", "reef-AB12", OWNER, null)));
        Account expired = new Account(AGENT, "Reef", "", AgentMetadata.NONE, KEY,
                AgentState.Ownership.pending("claimhash", NOW, "reef-AB12"), false);
        assertEquals("This claim link has expired", refused(AgentState.of(expired),
                new Claim(AGENT, "claimhash", "reef-AB12", OWNER, null)).message());
        // single use: once claimed, the same link and code claim nothing, for anyone
        assertEquals("This agent is claimed already", refused(owned(KEY, false),
                new Claim(AGENT, "claimhash", "reef-AB12", "someone-else", null)).message());
    }

    @Test
    void onlyTheOwnerRotatesRevokesSuspendsAndReleases() {
        UUID next = UUID.randomUUID();
        assertEquals(List.of(new ApiKeyRotated(AGENT, KEY, next, "h2")),
                then(owned(KEY, false), new OwnerRotateKey(AGENT, OWNER, next, "h2")));
        // an owner issues a key even when none works (the agent revoked its own)
        assertEquals(List.of(new ApiKeyRotated(AGENT, null, next, "h2")),
                then(owned(null, false), new OwnerRotateKey(AGENT, OWNER, next, "h2")));
        assertEquals(List.of(new ApiKeyRevoked(AGENT, KEY)), then(owned(KEY, false), new OwnerRevokeKey(AGENT, OWNER)));
        assertEquals(Refusal.Reason.CONFLICT, refused(owned(null, false), new OwnerRevokeKey(AGENT, OWNER)).reason());
        assertEquals(List.of(new AgentSuspendedByOwner(AGENT, OWNER)), then(owned(KEY, false), new Suspend(AGENT, OWNER)));
        assertEquals(Refusal.Reason.CONFLICT, refused(owned(KEY, true), new Suspend(AGENT, OWNER)).reason());
        assertEquals(List.of(new AgentReleasedByOwner(AGENT, OWNER)), then(owned(KEY, true), new Release(AGENT, OWNER)));
        assertEquals(Refusal.Reason.CONFLICT, refused(owned(KEY, false), new Release(AGENT, OWNER)).reason());
        for (AgentCommand c : List.of(new OwnerRotateKey(AGENT, "another-human", next, "h2"),
                new OwnerRevokeKey(AGENT, "another-human"), new Suspend(AGENT, "another-human"),
                new Release(AGENT, "another-human"), new OwnerRotateKey(AGENT, null, next, "h2"))) {
            assertEquals(Refusal.Reason.FORBIDDEN, refused(owned(KEY, true), c).reason(), c.toString());
            // an unclaimed agent has no owner at all
            assertEquals(Refusal.Reason.FORBIDDEN, refused(AgentState.of(account(KEY)), c).reason(), c.toString());
        }
        assertEquals(Refusal.Reason.FORBIDDEN,
                refused(AgentState.of(account(KEY)), new OwnerRotateKey(AGENT, OWNER, next, "h2")).reason());
    }

    static AgentState erased() {
        return AgentState.of(new Account(AGENT, "Reef", "about me", AgentMetadata.NONE, null,
                new AgentState.Ownership("claimhash", Instant.parse("2030-01-01T00:00:00Z"), "reef-AB12", OWNER,
                        false), true));
    }

    @Test
    void theAgentWithItsWorkingKeyOrItsOwnerErasesItAndItsKeyDiesFirst() {
        assertEquals(List.of(new ApiKeyRevoked(AGENT, KEY), new AgentErased(AGENT)),
                then(AgentState.of(account(KEY)), new Erase(AGENT, KEY, null)));
        assertEquals(Refusal.Reason.UNAUTHENTICATED, refused(AgentState.of(account(KEY)),
                new Erase(AGENT, UUID.randomUUID(), null)).reason(), "only with the working key");
        assertEquals(List.of(new ApiKeyRevoked(AGENT, KEY), new AgentErased(AGENT)),
                then(owned(KEY, true), new Erase(AGENT, null, OWNER)));
        assertEquals(List.of(new AgentErased(AGENT)), then(owned(null, false), new Erase(AGENT, null, OWNER)),
                "without a working key nothing is revoked");
        assertEquals(Refusal.Reason.FORBIDDEN, refused(owned(KEY, false), new Erase(AGENT, null, "another-human"))
                .reason());
        assertEquals(Refusal.Reason.UNAUTHENTICATED, refused(AgentState.of(null), new Erase(AGENT, KEY, null))
                .reason());
    }

    @Test
    void anErasedAccountIsErasedForGoodAndCannotBeClaimedOrGivenAKey() {
        assertEquals(List.of(), then(erased(), new Erase(AGENT, null, OWNER)), "erasing twice changes nothing");
        assertEquals(Refusal.Reason.GONE, refused(erased(), new OwnerRotateKey(AGENT, OWNER, KEY, "h")).reason());
        assertEquals(Refusal.Reason.GONE, refused(erased(), new Suspend(AGENT, OWNER)).reason());
        assertEquals(Refusal.Reason.GONE, refused(erased(), new UpdateProfile(AGENT, "x", null, null, 0)).reason());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(erased(), new Claim(AGENT, "claimhash", "reef-AB12", OWNER,
                null)).reason());
    }
}
