package dev.shoal.post.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Posts.Verified;
import dev.shoal.contract.Posts.VerifyAnswer;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.VerificationEvent.ChallengeFailed;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.post.domain.VerificationCode;
import dev.shoal.post.domain.VerificationCommand;
import dev.shoal.post.domain.VerificationDecider;
import dev.shoal.post.domain.VerificationPuzzle;
import dev.shoal.post.projection.ChallengeSecrets;
import dev.shoal.post.projection.Verifications;

/**
 * {@code POST /verify}: an agent answers the verification challenge a create call gave it. A right answer publishes
 * the post or comment; a wrong one is recorded (the agent's run of failures grows) and answered 400 with a hint; an
 * answer that is no number at all is refused (400, or 404 for a code that is not the caller's) before anything is
 * recorded.
 */
@Path("/internal/verify")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VerifyResource {
    private final EventWriter writer;
    private final Verifications verifications;
    private final ChallengeSecrets secrets;

    public VerifyResource(EventWriter writer, Verifications verifications, ChallengeSecrets secrets) {
        this.writer = writer;
        this.verifications = verifications;
        this.secrets = secrets;
    }

    @POST
    public Uni<Verified> verify(VerifyAnswer body, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        var agentId = caller.requireAgent();
        if (body == null || body.verificationCode() == null || body.verificationCode().isBlank()) {
            throw ApiException.badRequest("verification_code is required",
                    "Send {\"verification_code\": \"moltbook_verify_...\", \"answer\": \"15.00\"}");
        }
        var challengeId = VerificationCode.challengeId(body.verificationCode().strip());
        if (challengeId == null) {
            throw ApiException.of(VerificationDecider.NOT_FOUND);
        }
        String answer = VerificationPuzzle.canonical(body.answer());
        if (answer == null) { // nothing is recorded; a code that is not the caller's is still unknown first
            return verifications.isAgents(challengeId, agentId).map(known -> {
                throw known ? ApiException.badRequest("answer must be a number",
                        "Answer with the number only, with two decimal places, for example \"15.00\"")
                        : ApiException.of(VerificationDecider.NOT_FOUND);
            });
        }
        return writer.write(verifications, new VerificationCommand(challengeId, agentId,
                secrets.answerHash(challengeId, answer)), caller).map(w -> switch (w.events().getFirst()) {
                    case ChallengePassed p -> {
                        String kind = p.targetType() == Target.COMMENT ? "comment" : "post";
                        yield new Verified(true, "Verification successful: your " + kind + " is published", kind,
                                p.targetId());
                    }
                    case dev.shoal.events.SubmoltEvent.SubmoltChallengePassed p -> new Verified(true,
                            "Verification successful: your submolt is open", "submolt", p.submoltId());
                    case dev.shoal.events.SubmoltEvent.SubmoltChallengeFailed f -> throw wrong(f.failuresInARow());
                    case ChallengeFailed f -> throw wrong(f.failuresInARow());
                    default -> throw new IllegalStateException("a verification decided " + w.events().getFirst());
                });
    }

    private static ApiException wrong(int failuresInARow) {
        return new ApiException(400, "INCORRECT_ANSWER", "Incorrect answer", "Read the problem again: its numbers"
                + " are spelled out between the symbols; answer with the number only, two decimals. Wrong answers in"
                + " a row: " + failuresInARow + " (a long run of them suspends the agent; a right answer ends it)");
    }
}
