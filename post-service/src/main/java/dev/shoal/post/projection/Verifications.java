package dev.shoal.post.projection;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.PostStreamEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.VerificationEvent;
import dev.shoal.events.VerificationEvent.ChallengeFailed;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.post.domain.VerificationCommand;
import dev.shoal.post.domain.VerificationDecider;
import dev.shoal.post.domain.VerificationState;

/**
 * Verification challenges ({@code verification_challenge}) and each agent's run of wrong answers
 * ({@code verification_run}), changed only by their events. An answer is decided on the stream of the post the
 * challenge is about, holding the agent's answering lock, so two answers of one agent count its run one after the
 * other. Challenges are issued by {@link Posts} and {@link Comments} with their content and recorded here.
 */
@ApplicationScoped
public class Verifications implements WriteModel<VerificationState, VerificationCommand, PostStreamEvent> {
    private final VerificationDecider decider = new VerificationDecider();
    private final ChallengeSecrets secrets;

    public Verifications(ChallengeSecrets secrets) {
        this.secrets = secrets;
    }

    /** The challenge's post (fixed when it was issued, so reading it before the lock is safe), or its own id's. */
    @Override
    public Uni<StreamId> stream(VerificationCommand command) {
        return ChallengeRow.<ChallengeRow>findById(command.challengeId()).map(c -> new StreamId(Topic.POSTS,
                (c == null ? command.challengeId() : c.postId).toString()));
    }

    @Override
    public Uni<VerificationState> load(VerificationCommand command) {
        return KnownAuthors.lockCadence("verify", command.agentId())
                .chain(() -> ChallengeRow.<ChallengeRow>findById(command.challengeId()))
                .chain(c -> VerificationRunRow.<VerificationRunRow>findById(command.agentId()).map(run ->
                        new VerificationState(c == null ? null : new VerificationState.Challenge(c.agentId,
                                "comment".equals(c.targetType) ? Target.COMMENT : Target.POST, c.targetId, c.postId,
                                c.expiresAt, c.answerHash, c.passedAt != null), run == null ? 0 : run.failures)));
    }

    @Override
    public Decision<PostStreamEvent> decide(VerificationState state, VerificationCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(PostStreamEvent event, EventEnvelope envelope) {
        if (!(event instanceof VerificationEvent v)) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " is not a verification event");
        }
        return apply(v, envelope);
    }

    /** Applies a verification event, whichever write model decided it. */
    Uni<Void> apply(VerificationEvent event, EventEnvelope envelope) {
        return switch (event) {
            case ContentChallenged c -> {
                ChallengeRow row = new ChallengeRow();
                row.id = c.challengeId();
                row.agentId = c.agentId();
                row.targetType = c.targetType() == Target.COMMENT ? "comment" : "post";
                row.targetId = c.targetId();
                row.postId = c.postId();
                row.expiresAt = c.expiresAt();
                // Made again from the id and the key, here and on a restore: the log never carries it.
                row.answerHash = secrets.answerHash(c.challengeId());
                row.createdAt = envelope.time();
                yield row.persist().replaceWithVoid();
            }
            case ChallengePassed p -> ChallengeRow.<ChallengeRow>findById(p.challengeId())
                    .invoke(row -> row.passedAt = envelope.time())
                    .chain(() -> run(p.agentId(), 0));
            case ChallengeFailed f -> run(f.agentId(), f.failuresInARow());
        };
    }

    private static Uni<Void> run(java.util.UUID agent, int failures) {
        return VerificationRunRow.<VerificationRunRow>findById(agent).chain(found -> {
            if (found != null) {
                found.failures = failures;
                return Uni.createFrom().voidItem();
            }
            VerificationRunRow row = new VerificationRunRow();
            row.agentId = agent;
            row.failures = failures;
            return row.persist().replaceWithVoid();
        });
    }
}
