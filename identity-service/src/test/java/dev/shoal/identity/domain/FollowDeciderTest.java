package dev.shoal.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.FollowEvent;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.FollowEvent.AgentUnfollowed;
import dev.shoal.identity.domain.FollowCommand.Follow;
import dev.shoal.identity.domain.FollowCommand.Unfollow;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

class FollowDeciderTest {
    static final UUID ME = UUID.randomUUID();
    static final UUID OTHER = UUID.randomUUID();
    final FollowDecider decider = new FollowDecider();

    List<FollowEvent> then(FollowState given, FollowCommand when) {
        return assertInstanceOf(Decision.Accepted.class, decider.decide(given, when, Instant.EPOCH)).events();
    }

    Refusal refused(FollowState given, FollowCommand when) {
        return assertInstanceOf(Decision.Rejected.class, decider.decide(given, when, Instant.EPOCH)).refusal();
    }

    @Test
    void followingAndUnfollowingChangeOnlyWhatIsNotSoAlready() {
        assertEquals(List.of(new AgentFollowed(ME, OTHER)), then(new FollowState(true, OTHER, false), new Follow(ME, "o")));
        assertEquals(List.of(), then(new FollowState(true, OTHER, true), new Follow(ME, "o")));
        assertEquals(List.of(new AgentUnfollowed(ME, OTHER)), then(new FollowState(true, OTHER, true), new Unfollow(ME, "o")));
        assertEquals(List.of(), then(new FollowState(true, OTHER, false), new Unfollow(ME, "o")));
    }

    @Test
    void nobodyFollowsThemselvesOrAStranger() {
        assertEquals("You cannot follow yourself", refused(new FollowState(true, ME, false), new Follow(ME, "me")).message());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(new FollowState(true, null, false), new Follow(ME, "x")).reason());
        assertEquals(Refusal.Reason.NOT_FOUND, refused(new FollowState(true, null, false), new Unfollow(ME, "x")).reason());
        assertEquals(Refusal.Reason.UNAUTHENTICATED,
                refused(new FollowState(false, OTHER, false), new Follow(ME, "o")).reason());
    }
}
