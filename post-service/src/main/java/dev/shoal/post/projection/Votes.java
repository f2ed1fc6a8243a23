package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.post.domain.KnownAuthor;
import dev.shoal.post.domain.VoteCommand;
import dev.shoal.post.domain.VoteDecider;
import dev.shoal.post.domain.VoteState;

/** Votes ({@code vote}), changed only by their events; the target's stream on {@code shoal.votes} orders them. */
@ApplicationScoped
public class Votes implements WriteModel<VoteState, VoteCommand, VoteEvent> {
    private final VoteDecider decider = new VoteDecider();

    @Override
    public Uni<StreamId> stream(VoteCommand command) {
        return Uni.createFrom().item(sharedStream(command));
    }

    /** Votes on one target share transactions: their load takes no other lock and reads the vote table afresh. */
    @Override
    public StreamId sharedStream(VoteCommand command) {
        return new StreamId(Topic.VOTES, command.targetId().toString());
    }

    private static final String LOAD_ON_POST = load("PostRow");
    private static final String LOAD_ON_COMMENT = load("CommentRow");

    /** The query of {@link #load} on one kind of target, built once (votes are the hottest command). */
    private static String load(String target) {
        return "select t.authorId, a.name, a.registeredAt, a.claimedAt, v.value from " + target + " t"
                + " left join KnownAgentRow a on a.agentId = t.authorId"
                + " left join VoteRow v on v.targetId = t.id and v.voterId = :voter"
                + " where t.id = :id and t.deletedAt is null and " + Verifications.published("t");
    }

    /**
     * One statement: the live target's author, the author as known here and the voter's current vote (votes are half
     * of all writes, and each round trip inside the transaction holds the target's stream lock a little longer).
     */
    @Override
    public Uni<VoteState> load(VoteCommand command) {
        return switch (command) {
            case VoteCommand.CastVote v -> {
                String hql = switch (v.targetType()) {
                    case POST -> LOAD_ON_POST;
                    case COMMENT -> LOAD_ON_COMMENT;
                };
                yield Panache.getSession().chain(s -> s.createSelectionQuery(hql, Object[].class)
                        .setParameter("id", v.targetId()).setParameter("voter", v.voterId()).getSingleResultOrNull())
                        .map(row -> row == null ? new VoteState(null, null, 0)
                                : new VoteState((UUID) row[0], row[1] == null ? null
                                        // the answer names the author; a challenge order does not matter to votes
                                        : new KnownAuthor((String) row[1], (Instant) row[2], (Instant) row[3]),
                                        row[4] == null ? 0 : (Short) row[4]));
            }
        };
    }

    @Override
    public Decision<VoteEvent> decide(VoteState state, VoteCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(VoteEvent event, EventEnvelope envelope) {
        return switch (event) {
            // One upsert, not a find and then an insert or update: votes are half of all writes.
            case VoteCast v -> Panache.getSession().chain(s -> s.createNativeQuery("""
                            INSERT INTO vote (target_id, voter_id, target_type, value, updated_at)
                            VALUES (:target, :voter, :type, :value, :at)
                            ON CONFLICT (target_id, voter_id) DO UPDATE SET value = EXCLUDED.value,
                                                                           updated_at = EXCLUDED.updated_at""")
                    .setParameter("target", v.targetId())
                    .setParameter("voter", v.voterId())
                    .setParameter("type", v.targetType().name().toLowerCase(java.util.Locale.ROOT))
                    .setParameter("value", (short) v.value())
                    .setParameter("at", envelope.time().atOffset(java.time.ZoneOffset.UTC))
                    .executeUpdate()).replaceWithVoid();
        };
    }
}
