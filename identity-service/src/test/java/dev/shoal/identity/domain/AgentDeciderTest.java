package dev.shoal.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.AgentMetadata;
import dev.shoal.events.AgentEvent;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.identity.domain.AgentCommand.Register;
import dev.shoal.identity.domain.AgentCommand.RevokeKey;
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
        return new Account(AGENT, "Reef", "about me", new AgentMetadata(Map.of("lang", "en")), activeKey);
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
    void commandsOfAnAgentThatDoesNotExistAreUnauthenticated() {
        AgentState nobody = AgentState.of(null);
        for (AgentCommand c : List.of(new UpdateProfile(AGENT, "x", null, null, 0), new RotateKey(AGENT, KEY, KEY, "h"),
                new RevokeKey(AGENT, KEY))) {
            assertEquals(Refusal.Reason.UNAUTHENTICATED, refused(nobody, c).reason(), c.toString());
        }
    }
}
