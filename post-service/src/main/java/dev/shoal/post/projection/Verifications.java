package dev.shoal.post.projection;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.SubmoltEvent;
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
 * other. Challenges are issued by {@link Posts}, {@link Comments} and {@link Submolts} with what they hold back, and
 * recorded here.
 */
@ApplicationScoped
public class Verifications implements WriteModel<VerificationState, VerificationCommand, ShoalEvent> {
    private final VerificationDecider decider = new VerificationDecider();
    private final ChallengeSecrets secrets;

    public Verifications(ChallengeSecrets secrets) {
        this.secrets = secrets;
    }

    /**
     * The challenge's stream (fixed when it was issued, so reading it before the lock is safe): its post's, or its
     * submolt's; a challenge nobody issued, its own id's.
     */
    @Override
    public Uni<StreamId> stream(VerificationCommand command) {
        return ChallengeRow.<ChallengeRow>findById(command.challengeId()).map(c -> c == null
                ? new StreamId(Topic.POSTS, command.challengeId().toString())
                : new StreamId(SUBMOLT.equals(c.targetType) ? Topic.COMMUNITY : Topic.POSTS, c.streamId.toString()));
    }

    /**
     * An HQL condition: the entity {@code alias} (a post's or comment's row) waits for no challenge. Content held
     * back is nobody's to comment on, reply to or vote on, whoever knows its id.
     */
    static String published(String alias) {
        return "not exists (select 1 from ChallengeRow v where v.targetId = " + alias + ".id and v.passedAt is null)";
    }

    /** Whether {@code target} (a submolt) waits for its challenge: nobody sees or uses it until it is solved. */
    static Uni<Boolean> pending(java.util.UUID target) {
        return ChallengeRow.count("targetId = ?1 and passedAt is null", target).map(n -> n > 0);
    }

    /**
     * Whether {@code challengeId} is one of {@code agentId}'s challenges, in any state: a code that is not the
     * caller's is unknown to it (404) before anything about its answer matters.
     */
    public Uni<Boolean> isAgents(java.util.UUID challengeId, java.util.UUID agentId) {
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(
                () -> ChallengeRow.<ChallengeRow>findById(challengeId)).map(c -> c != null && c.agentId.equals(agentId));
    }

    @Override
    public Uni<VerificationState> load(VerificationCommand command) {
        return KnownAuthors.lockCadence("verify", command.agentId())
                .chain(() -> ChallengeRow.<ChallengeRow>findById(command.challengeId()))
                .chain(c -> VerificationRunRow.<VerificationRunRow>findById(command.agentId()).map(run ->
                        new VerificationState(c == null ? null : new VerificationState.Challenge(c.agentId,
                                kind(c.targetType), c.targetId, c.streamId, c.expiresAt, c.answerHash,
                                c.passedAt != null), run == null ? 0 : run.failures)));
    }

    @Override
    public Decision<ShoalEvent> decide(VerificationState state, VerificationCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(ShoalEvent event, EventEnvelope envelope) {
        return switch (event) {
            case VerificationEvent v -> apply(v, envelope);
            case SubmoltEvent s -> applySubmolt(s, envelope);
            default -> throw new IllegalArgumentException(event.getClass().getSimpleName()
                    + " is not a verification event");
        };
    }

    static final String SUBMOLT = "submolt";

    private static VerificationState.Kind kind(String targetType) {
        return switch (targetType) {
            case "comment" -> VerificationState.Kind.COMMENT;
            case SUBMOLT -> VerificationState.Kind.SUBMOLT;
            default -> VerificationState.Kind.POST;
        };
    }

    /** Applies a submolt's challenge event; any other submolt event is not this model's. */
    Uni<Void> applySubmolt(SubmoltEvent event, EventEnvelope envelope) {
        return switch (event) {
            case SubmoltEvent.SubmoltChallenged c -> record(c.challengeId(), c.agentId(), SUBMOLT, c.submoltId(),
                    c.submoltId(), c.expiresAt(), envelope);
            case SubmoltEvent.SubmoltChallengePassed p -> passed(p.challengeId(), p.agentId(), envelope);
            case SubmoltEvent.SubmoltChallengeFailed f -> run(f.agentId(), f.failuresInARow());
            default -> throw new IllegalArgumentException(event.getClass().getSimpleName()
                    + " is not a verification event");
        };
    }

    private Uni<Void> record(java.util.UUID id, java.util.UUID agent, String type, java.util.UUID target,
                             java.util.UUID stream, java.time.Instant expiresAt, EventEnvelope envelope) {
        ChallengeRow row = new ChallengeRow();
        row.id = id;
        row.agentId = agent;
        row.targetType = type;
        row.targetId = target;
        row.streamId = stream;
        row.expiresAt = expiresAt;
        // Made again from the id and the key, here and on a restore: the log never carries it.
        row.answerHash = secrets.answerHash(id);
        row.createdAt = envelope.time();
        return row.persist().replaceWithVoid();
    }

    private static Uni<Void> passed(java.util.UUID id, java.util.UUID agent, EventEnvelope envelope) {
        return ChallengeRow.<ChallengeRow>findById(id).invoke(row -> row.passedAt = envelope.time())
                .chain(() -> run(agent, 0));
    }

    /** Applies a verification event, whichever write model decided it. */
    Uni<Void> apply(VerificationEvent event, EventEnvelope envelope) {
        return switch (event) {
            case ContentChallenged c -> record(c.challengeId(), c.agentId(), c.targetType() == Target.COMMENT
                    ? "comment" : "post", c.targetId(), c.postId(), c.expiresAt(), envelope);
            case ChallengePassed p -> passed(p.challengeId(), p.agentId(), envelope);
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
