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
import dev.shoal.post.domain.VoteCommand;
import dev.shoal.post.domain.VoteDecider;
import dev.shoal.post.domain.VoteState;

/** Votes ({@code vote}), changed only by their events; the target's stream on {@code shoal.votes} orders them. */
@ApplicationScoped
public class Votes implements WriteModel<VoteState, VoteCommand, VoteEvent> {
    private final VoteDecider decider = new VoteDecider();

    @Override
    public Uni<StreamId> stream(VoteCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.VOTES, command.targetId().toString()));
    }

    @Override
    public Uni<VoteState> load(VoteCommand command) {
        return switch (command) {
            case VoteCommand.CastVote v -> liveAuthor(v.targetType(), v.targetId()).chain(author -> author == null
                    ? Uni.createFrom().item(new VoteState(null, null, 0))
                    : VoteRow.<VoteRow>findById(new VoteRow.Key(v.targetId(), v.voterId()))
                    .chain(vote -> KnownAuthors.find(author)
                            .map(known -> new VoteState(author, known, vote == null ? 0 : vote.value))));
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

    /** The author of a target that exists, is not deleted and waits for no challenge, or {@code null}. */
    private static Uni<UUID> liveAuthor(VoteEvent.Target type, UUID targetId) {
        String hql = switch (type) {
            case POST -> "select p.authorId from PostRow p where p.id = :id and p.deletedAt is null and "
                    + Verifications.published("p");
            case COMMENT -> "select c.authorId from CommentRow c where c.id = :id and c.deletedAt is null and "
                    + Verifications.published("c");
        };
        return Panache.getSession().chain(s -> s.createSelectionQuery(hql, UUID.class).setParameter("id", targetId)
                .getSingleResultOrNull());
    }
}
