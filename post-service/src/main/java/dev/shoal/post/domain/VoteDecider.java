package dev.shoal.post.domain;

import java.time.Instant;

import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.post.domain.VoteCommand.CastVote;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/**
 * Votes: one per agent and target, never on one's own content. Each event carries the vote's new state, so a reader
 * folds a voter's events on a target by keeping the last.
 */
public final class VoteDecider implements Decider<VoteState, VoteCommand, VoteEvent> {
    /** What a vote did, in Moltbook's words. */
    public enum Outcome {
        UPVOTED("upvoted", "Upvoted"), DOWNVOTED("downvoted", "Downvoted"), CHANGED("changed", "Vote changed"),
        REMOVED("removed", "Vote removed");

        public final String action;
        public final String message;

        Outcome(String action, String message) {
            this.action = action;
            this.message = message;
        }

        public static Outcome of(int before, int after) {
            return after == 0 ? REMOVED : before != 0 ? CHANGED : after > 0 ? UPVOTED : DOWNVOTED;
        }
    }

    @Override
    public Decision<VoteEvent> decide(VoteState state, VoteCommand command, Instant now) {
        return switch (command) {
            case CastVote v -> {
                String kind = v.targetType().name().toLowerCase();
                if (state.authorId() == null) {
                    yield Decision.refuse(Refusal.notFound(v.targetType() == VoteEvent.Target.POST
                            ? "Post not found" : "Comment not found", "It may have been deleted"));
                }
                if (state.authorId().equals(v.voterId())) {
                    yield Decision.refuse(Refusal.invalid("SELF_VOTE", "You cannot vote on your own " + kind,
                            "Vote on others' " + kind + "s"));
                }
                int value = state.current() == v.direction().value ? 0 : v.direction().value;
                yield Decision.accept(new VoteCast(v.targetType(), v.targetId(), v.voterId(), state.authorId(), value));
            }
        };
    }
}
