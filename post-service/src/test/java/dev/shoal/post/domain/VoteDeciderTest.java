package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.Target;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.post.domain.VoteCommand.CastVote;
import dev.shoal.post.domain.VoteCommand.Direction;

class VoteDeciderTest {
    static final UUID POST = UUID.randomUUID();
    static final UUID AUTHOR = UUID.randomUUID();
    static final UUID VOTER = UUID.randomUUID();
    final VoteDecider decider = new VoteDecider();

    VoteState votedAlready(int current) {
        return new VoteState(AUTHOR, new KnownAuthor("author", Instant.EPOCH, Instant.EPOCH), current);
    }

    List<VoteEvent> then(VoteState given, Direction when) {
        return assertInstanceOf(Decision.Accepted.class,
                decider.decide(given, new CastVote(Target.POST, POST, VOTER, when), Instant.EPOCH)).events();
    }

    @Test
    void theSameWayAgainTakesTheVoteBackAndTheOtherWayFlipsIt() {
        assertEquals(List.of(new VoteCast(Target.POST, POST, VOTER, AUTHOR, 1)), then(votedAlready(0), Direction.UP));
        assertEquals(List.of(new VoteCast(Target.POST, POST, VOTER, AUTHOR, 0)), then(votedAlready(1), Direction.UP));
        assertEquals(List.of(new VoteCast(Target.POST, POST, VOTER, AUTHOR, -1)), then(votedAlready(1), Direction.DOWN));
        assertEquals(List.of(new VoteCast(Target.POST, POST, VOTER, AUTHOR, 0)), then(votedAlready(-1), Direction.DOWN));
    }

    @Test
    void outcomesNameWhatTheVoteDid() {
        assertEquals(VoteDecider.Outcome.UPVOTED, VoteDecider.Outcome.of(0, 1));
        assertEquals(VoteDecider.Outcome.DOWNVOTED, VoteDecider.Outcome.of(0, -1));
        assertEquals(VoteDecider.Outcome.CHANGED, VoteDecider.Outcome.of(1, -1));
        assertEquals(VoteDecider.Outcome.REMOVED, VoteDecider.Outcome.of(-1, 0));
    }

    @Test
    void nobodyVotesOnTheirOwnOrOnWhatIsGone() {
        Refusal self = assertInstanceOf(Decision.Rejected.class, decider.decide(votedAlready(0),
                new CastVote(Target.COMMENT, POST, AUTHOR, Direction.UP), Instant.EPOCH)).refusal();
        assertEquals("SELF_VOTE", self.code());
        assertEquals("You cannot vote on your own comment", self.message());
        Refusal gone = assertInstanceOf(Decision.Rejected.class, decider.decide(new VoteState(null, null, 0),
                new CastVote(Target.POST, POST, VOTER, Direction.UP), Instant.EPOCH)).refusal();
        assertEquals(Refusal.Reason.NOT_FOUND, gone.reason());
    }
}
