package dev.shoal.identity.domain;

import java.time.Instant;

import dev.shoal.events.FollowEvent;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.FollowEvent.AgentUnfollowed;
import dev.shoal.identity.domain.FollowCommand.Follow;
import dev.shoal.identity.domain.FollowCommand.Unfollow;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/** Following: not oneself, only agents that exist; following twice or unfollowing a stranger changes nothing. */
public final class FollowDecider implements Decider<FollowState, FollowCommand, FollowEvent> {
    static final Refusal NOT_FOUND = Refusal.notFound("Agent not found", "Check the agent's name");

    @Override
    public Decision<FollowEvent> decide(FollowState state, FollowCommand command, Instant now) {
        if (!state.followerKnown()) {
            return Decision.refuse(AgentDecider.UNKNOWN_AGENT);
        }
        if (state.followeeId() == null) {
            return Decision.refuse(NOT_FOUND);
        }
        return switch (command) {
            case Follow f when state.followeeId().equals(f.followerId()) ->
                    Decision.refuse(Refusal.invalid("BAD_REQUEST", "You cannot follow yourself", "Follow another agent"));
            case Follow f -> state.following() ? Decision.nothing()
                    : Decision.accept(new AgentFollowed(f.followerId(), state.followeeId()));
            case Unfollow u -> state.following()
                    ? Decision.accept(new AgentUnfollowed(u.followerId(), state.followeeId()))
                    : Decision.nothing();
        };
    }
}
