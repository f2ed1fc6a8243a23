package dev.shoal.identity.projection;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.FollowEvent;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.FollowEvent.AgentUnfollowed;
import dev.shoal.events.Topic;
import dev.shoal.identity.domain.AgentName;
import dev.shoal.identity.domain.FollowCommand;
import dev.shoal.identity.domain.FollowDecider;
import dev.shoal.identity.domain.FollowState;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/** Who follows whom ({@code follow}), changed only by follow events; the follower's stream orders them. */
@ApplicationScoped
public class Follows implements WriteModel<FollowState, FollowCommand, FollowEvent> {
    private static final int MAX_NAME = 64;
    private final FollowDecider decider = new FollowDecider();

    @Override
    public Uni<StreamId> stream(FollowCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.IDENTITY, command.followerId().toString()));
    }

    @Override
    public Uni<FollowState> load(FollowCommand command) {
        Uni<AgentRow> followee = command.followeeName() == null || command.followeeName().length() > MAX_NAME
                ? Uni.createFrom().nullItem()
                : AgentRow.find("nameKey", AgentName.key(command.followeeName())).firstResult();
        return AgentRow.count("id", command.followerId()).chain(followers -> followee.chain(f -> f == null
                ? Uni.createFrom().item(new FollowState(followers > 0, null, false))
                : FollowRow.count("followerId = ?1 and followeeId = ?2", command.followerId(), f.id)
                .map(n -> new FollowState(followers > 0, f.id, n > 0))));
    }

    @Override
    public Decision<FollowEvent> decide(FollowState state, FollowCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(FollowEvent event, EventEnvelope envelope) {
        Instant at = envelope.time();
        Uni<Void> row = switch (event) {
            case AgentFollowed f -> {
                FollowRow follow = new FollowRow();
                follow.followerId = f.followerId();
                follow.followeeId = f.followeeId();
                follow.createdAt = at;
                yield follow.persist().replaceWithVoid();
            }
            case AgentUnfollowed u -> FollowRow.delete("followerId = ?1 and followeeId = ?2", u.followerId(),
                    u.followeeId()).replaceWithVoid();
        };
        return row.chain(() -> AgentAccounts.touch(event.followerId(), at));
    }
}
