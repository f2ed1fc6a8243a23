package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.Topic;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.post.domain.PinCommand;
import dev.shoal.post.domain.PinDecider;
import dev.shoal.post.domain.PinState;
import dev.shoal.post.domain.PostDecider;

/**
 * Pins, on their submolt's stream (the limit of three is the submolt's, so its lock guards it). Their events are
 * submolt events, applied by {@link Submolts#evolve}.
 */
@ApplicationScoped
public class Pins implements WriteModel<PinState, PinCommand, SubmoltEvent> {
    private final PinDecider decider = new PinDecider();
    private final Submolts submolts;

    public Pins(Submolts submolts) {
        this.submolts = submolts;
    }

    /** The stream of the post's submolt (a post never moves); a post that does not exist is refused here. */
    @Override
    public Uni<StreamId> stream(PinCommand command) {
        return PostRow.<PostRow>findById(command.postId()).map(p -> {
            if (p == null) {
                throw PostDecider.NOT_FOUND.asException();
            }
            return new StreamId(Topic.COMMUNITY, p.submoltId.toString());
        });
    }

    @Override
    public Uni<PinState> load(PinCommand command) {
        UUID agent = command.agentId();
        return PostRow.<PostRow>findById(command.postId()).chain(post -> SubmoltRow.<SubmoltRow>findById(post.submoltId)
                .chain(submolt -> ModeratorRow.findById(new MemberKey(submolt.id, agent))
                        .chain(mod -> PinRow.findById(post.id)
                                .chain(pin -> livePins(submolt.id).map(live -> new PinState(submolt.id,
                                        post.deletedAt == null, agent.equals(submolt.ownerId) || mod != null,
                                        pin != null, live))))));
    }

    @Override
    public Decision<SubmoltEvent> decide(PinState state, PinCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(SubmoltEvent event, EventEnvelope envelope) {
        return submolts.evolve(event, envelope);
    }

    private static Uni<Long> livePins(UUID submoltId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("""
                        select count(p) from PinRow p, PostRow o
                        where o.id = p.postId and p.submoltId = :submolt and o.deletedAt is null""", Long.class)
                .setParameter("submolt", submoltId).getSingleResult());
    }
}
