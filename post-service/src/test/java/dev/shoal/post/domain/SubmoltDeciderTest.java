package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorRemoved;
import dev.shoal.events.SubmoltEvent.SubmoltSettingsUpdated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.SubmoltEvent.SubmoltUnsubscribed;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.post.domain.SubmoltCommand.AddModerator;
import dev.shoal.post.domain.SubmoltCommand.CreateSubmolt;
import dev.shoal.post.domain.SubmoltCommand.RemoveModerator;
import dev.shoal.post.domain.SubmoltCommand.Subscribe;
import dev.shoal.post.domain.SubmoltCommand.Unsubscribe;
import dev.shoal.post.domain.SubmoltCommand.UpdateSettings;
import dev.shoal.post.domain.SubmoltState.Submolt;

class SubmoltDeciderTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final UUID ID = UUID.randomUUID();
    static final UUID OWNER = UUID.randomUUID();
    static final UUID OTHER = UUID.randomUUID();
    static final KnownAuthor OLD_AGENT = new KnownAuthor("old", NOW.minus(Duration.ofDays(3)),
            NOW.minus(Duration.ofDays(2)));
    static final KnownAuthor NEW_AGENT = new KnownAuthor("new", NOW.minus(Duration.ofHours(20)),
            NOW.minus(Duration.ofHours(20)));
    static final Submolt REEF = new Submolt(ID, "reef", "about", "#000000", null, OWNER);
    final SubmoltDecider decider = new SubmoltDecider(new SubmoltDecider.Limits(Duration.ofHours(24), 1));

    List<SubmoltEvent> then(SubmoltState given, SubmoltCommand when) {
        return assertInstanceOf(Decision.Accepted.class, decider.decide(given, when, NOW)).events();
    }

    Refusal refused(SubmoltState given, SubmoltCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(given, when, NOW)).refusal();
    }

    static SubmoltState caller(boolean subscribed, boolean moderates) {
        return SubmoltState.of(REEF, subscribed, moderates, null, false);
    }

    static SubmoltState naming(UUID agent, boolean moderates) {
        return SubmoltState.of(REEF, false, false, agent, moderates);
    }

    @Test
    void theCreatorOwnsAndSubscribesTheSystemOnlyOwns() {
        assertEquals(List.of(new SubmoltCreated(ID, "reef", "reef", "", false, OWNER), new SubmoltSubscribed(ID, OWNER)),
                then(SubmoltState.forCreate(false, OLD_AGENT, 5), new CreateSubmolt(ID, OWNER, "reef", null, null, false)));
        assertEquals(List.of(new SubmoltCreated(ID, "general", "General", "all", false, null)),
                then(SubmoltState.forCreate(false, null, 0), new CreateSubmolt(ID, null, "general", "General", "all", false)));
    }

    @Test
    void namesAreCheckedTakenNamesConflictAndNewAgentsCreateOne() {
        assertEquals(Refusal.Reason.INVALID, refused(SubmoltState.forCreate(false, OLD_AGENT, 0),
                new CreateSubmolt(ID, OWNER, "Reef!", null, null, false)).reason());
        assertEquals("That submolt name is reserved", refused(SubmoltState.forCreate(false, OLD_AGENT, 0),
                new CreateSubmolt(ID, OWNER, "mod-s", null, null, false)).message());
        assertEquals(Refusal.Reason.CONFLICT, refused(SubmoltState.forCreate(true, OLD_AGENT, 0),
                new CreateSubmolt(ID, OWNER, "reef", null, null, false)).reason());
        Refusal young = refused(SubmoltState.forCreate(false, NEW_AGENT, 1),
                new CreateSubmolt(ID, OWNER, "reef", null, null, false));
        assertEquals(Refusal.Reason.TOO_SOON, young.reason());
        assertEquals(Duration.ofHours(4), young.retryAfter(), "until the agent is a day old");
        assertEquals(2, then(SubmoltState.forCreate(false, NEW_AGENT, 0),
                new CreateSubmolt(ID, OWNER, "reef", null, null, false)).size());
    }

    @Test
    void subscribingChangesOnlyWhatIsNotSoAlready() {
        assertEquals(List.of(new SubmoltSubscribed(ID, OTHER)), then(caller(false, false), new Subscribe("reef", OTHER)));
        assertEquals(List.of(), then(caller(true, false), new Subscribe("reef", OTHER)));
        assertEquals(List.of(new SubmoltUnsubscribed(ID, OTHER)), then(caller(true, false), new Unsubscribe("reef", OTHER)));
        assertEquals(List.of(), then(caller(false, false), new Unsubscribe("reef", OTHER)));
    }

    @Test
    void ownersAndModeratorsEditSettingsKeepingWhatWasLeftOut() {
        assertEquals(List.of(new SubmoltSettingsUpdated(ID, "about", "#ffffff", null)),
                then(caller(false, false), new UpdateSettings("reef", OWNER, null, "#ffffff", null)));
        assertEquals(1, then(caller(false, true), new UpdateSettings("reef", OTHER, "new", null, null)).size());
        assertEquals(Refusal.Reason.FORBIDDEN, refused(caller(true, false),
                new UpdateSettings("reef", OTHER, "new", null, null)).reason());
        assertEquals("Nothing to update", refused(caller(false, false),
                new UpdateSettings("reef", OWNER, null, null, null)).message());
        assertEquals(Refusal.Reason.INVALID, refused(caller(false, false),
                new UpdateSettings("reef", OWNER, null, "red", null)).reason());
    }

    @Test
    void onlyTheOwnerNamesAndRemovesModerators() {
        assertEquals(List.of(new SubmoltModeratorAdded(ID, OTHER)), then(naming(OTHER, false),
                new AddModerator("reef", OWNER, "other")));
        assertEquals(List.of(), then(naming(OTHER, true), new AddModerator("reef", OWNER, "other")));
        assertEquals(List.of(new SubmoltModeratorRemoved(ID, OTHER)), then(naming(OTHER, true),
                new RemoveModerator("reef", OWNER, "other")));
        assertEquals(Refusal.Reason.NOT_FOUND, refused(naming(OTHER, false),
                new RemoveModerator("reef", OWNER, "other")).reason());
        assertEquals(Refusal.Reason.FORBIDDEN, refused(naming(OTHER, false),
                new AddModerator("reef", OTHER, "other")).reason());
        assertEquals("The owner is already in charge", refused(naming(OWNER, false),
                new AddModerator("reef", OWNER, "owner")).message());
        assertEquals("agent_name is required", refused(naming(null, false), new AddModerator("reef", OWNER, " ")).message());
        assertEquals("Agent not found", refused(naming(null, false), new AddModerator("reef", OWNER, "ghost")).message());
    }
}
