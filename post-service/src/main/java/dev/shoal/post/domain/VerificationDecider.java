package dev.shoal.post.domain;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.SubmoltEvent.SubmoltChallengeFailed;
import dev.shoal.events.SubmoltEvent.SubmoltChallengePassed;
import dev.shoal.events.VerificationEvent.ChallengeFailed;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/**
 * Answering a verification challenge, as Moltbook's {@code POST /verify} does: a code nobody issued to this agent is
 * not found (404), a solved one is used (409), an expired one is gone (410). A right answer publishes the content and
 * ends the agent's run of failures; a wrong one is recorded, with the run's new length, and the challenge stays open
 * until it expires (moderation suspends an agent whose run grows too long).
 */
public final class VerificationDecider implements Decider<VerificationState, VerificationCommand, ShoalEvent> {
    public static final Refusal NOT_FOUND = Refusal.notFound("Verification code not found",
            "Send the verification_code the create call answered, with the API key of the agent that made it");

    @Override
    public Decision<ShoalEvent> decide(VerificationState state, VerificationCommand command, Instant now) {
        VerificationState.Challenge c = state.challenge();
        if (c == null || !c.agentId().equals(command.agentId())) {
            return Decision.refuse(NOT_FOUND);
        }
        if (c.passed()) {
            return Decision.refuse(Refusal.conflict("This verification code was already used",
                    "The content it held back is published; a new post or comment gets a code of its own"));
        }
        if (!now.isBefore(c.expiresAt())) {
            return Decision.refuse(Refusal.gone("This challenge expired at " + c.expiresAt(),
                    c.kind() == VerificationState.Kind.SUBMOLT
                    ? "The submolt stays unlisted and its name stays yours; an expired challenge cannot be answered"
                    : "The content stays unpublished; create it again to get a new challenge, and answer it in time"));
        }
        boolean right = MessageDigest.isEqual(c.answerHash().getBytes(StandardCharsets.UTF_8),
                command.answerHash().getBytes(StandardCharsets.UTF_8));
        int failures = state.failuresInARow() + 1;
        if (c.kind() == VerificationState.Kind.SUBMOLT) {
            return Decision.accept(right ? new SubmoltChallengePassed(c.streamId(), command.challengeId(), c.agentId())
                    : new SubmoltChallengeFailed(c.streamId(), command.challengeId(), c.agentId(), failures));
        }
        Target target = c.kind() == VerificationState.Kind.COMMENT ? Target.COMMENT : Target.POST;
        return Decision.accept(right ? new ChallengePassed(command.challengeId(), c.agentId(), target, c.targetId(),
                c.streamId()) : new ChallengeFailed(command.challengeId(), c.agentId(), target, c.targetId(),
                c.streamId(), failures));
    }
}
