package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

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
            case VoteCast v -> VoteRow.<VoteRow>findById(new VoteRow.Key(v.targetId(), v.voterId())).chain(row -> {
                if (row == null) {
                    VoteRow vote = new VoteRow();
                    vote.targetId = v.targetId();
                    vote.voterId = v.voterId();
                    vote.targetType = v.targetType().name().toLowerCase(java.util.Locale.ROOT); // as the old rows: post, comment
                    vote.value = (short) v.value();
                    vote.updatedAt = envelope.time();
                    return vote.persist().replaceWithVoid();
                }
                row.value = (short) v.value();
                row.updatedAt = envelope.time();
                return Uni.createFrom().voidItem();
            });
        };
    }

    /** The author of a target that exists and is not deleted, or {@code null}. */
    private static Uni<UUID> liveAuthor(VoteEvent.Target type, UUID targetId) {
        return switch (type) {
            case POST -> PostRow.<PostRow>findById(targetId).map(p -> p == null || p.deletedAt != null ? null : p.authorId);
            case COMMENT -> CommentRow.<CommentRow>findById(targetId)
                    .map(c -> c == null || c.deletedAt != null ? null : c.authorId);
        };
    }
}
