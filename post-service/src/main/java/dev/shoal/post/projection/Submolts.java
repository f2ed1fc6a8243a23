package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.SubmoltEvent.PostPinned;
import dev.shoal.events.SubmoltEvent.PostUnpinned;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorRemoved;
import dev.shoal.events.SubmoltEvent.SubmoltSettingsUpdated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.SubmoltEvent.SubmoltUnsubscribed;
import dev.shoal.events.Topic;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.write.AdvisoryLocks;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.post.domain.SubmoltCommand;
import dev.shoal.post.domain.SubmoltCommand.AddModerator;
import dev.shoal.post.domain.SubmoltCommand.CreateSubmolt;
import dev.shoal.post.domain.SubmoltCommand.RemoveModerator;
import dev.shoal.post.domain.SubmoltCommand.Subscribe;
import dev.shoal.post.domain.SubmoltCommand.Unsubscribe;
import dev.shoal.post.domain.SubmoltCommand.UpdateSettings;
import dev.shoal.post.domain.SubmoltDecider;
import dev.shoal.post.domain.SubmoltState;

/**
 * Submolts, subscriptions, moderators and pins ({@code submolt}, {@code subscription}, {@code moderator},
 * {@code pin}), changed only by submolt events: {@link #evolve} is the one place every one of them is applied. A
 * creation also locks its name, so of two creating one name at once exactly one wins.
 */
@ApplicationScoped
public class Submolts implements WriteModel<SubmoltState, SubmoltCommand, SubmoltEvent> {
    static final Refusal NO_SUCH_SUBMOLT = Refusal.notFound("Submolt not found",
            "Check the name, or list submolts with GET /submolts");
    private final SubmoltDecider decider;
    private final Verifications verifications;

    public Submolts(LimitsConfig limits, Verifications verifications) {
        this.decider = new SubmoltDecider(new SubmoltDecider.Limits(limits.newAgentAge(),
                limits.submoltsPerNewAgent(), limits.submoltChallengeTtl()));
        this.verifications = verifications;
    }

    /** A new submolt's own stream; otherwise the named one's, and a name that names none is refused here. */
    @Override
    public Uni<StreamId> stream(SubmoltCommand command) {
        return switch (command) {
            case CreateSubmolt c -> Uni.createFrom().item(new StreamId(Topic.COMMUNITY, c.submoltId().toString()));
            case SubmoltCommand.OnExisting e -> SubmoltRow.open(e.submolt()).map(s -> {
                if (s == null) {
                    throw NO_SUCH_SUBMOLT.asException();
                }
                return new StreamId(Topic.COMMUNITY, s.id.toString());
            });
        };
    }

    @Override
    public Uni<SubmoltState> load(SubmoltCommand command) {
        return switch (command) {
            case CreateSubmolt c -> lockName(c.name()).chain(() -> SubmoltRow.count("name", c.name()))
                    .chain(taken -> c.creatorId() == null
                            ? Uni.createFrom().item(SubmoltState.forCreate(taken > 0, null, 0))
                            : KnownAuthors.lockCadence("submolt-create", c.creatorId())
                            .chain(() -> KnownAuthors.find(c.creatorId()))
                            .chain(creator -> SubmoltRow.count("ownerId", c.creatorId())
                                    .map(owned -> SubmoltState.forCreate(taken > 0, creator, owned))));
            case Subscribe s -> member(s.submolt(), s.agentId(), null);
            case Unsubscribe u -> member(u.submolt(), u.agentId(), null);
            case UpdateSettings u -> member(u.submolt(), u.agentId(), null);
            case AddModerator a -> member(a.submolt(), a.ownerId(), a.agentName());
            case RemoveModerator r -> member(r.submolt(), r.ownerId(), r.agentName());
        };
    }

    @Override
    public Decision<SubmoltEvent> decide(SubmoltState state, SubmoltCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(SubmoltEvent event, EventEnvelope envelope) {
        Instant at = envelope.time();
        return switch (event) {
            case SubmoltCreated c -> {
                SubmoltRow s = new SubmoltRow();
                s.id = c.submoltId();
                s.name = c.name();
                s.displayName = c.displayName();
                s.description = c.description();
                s.allowCrypto = c.allowCrypto();
                s.ownerId = c.ownerId();
                s.createdAt = at;
                yield s.persist().replaceWithVoid();
            }
            case SubmoltSettingsUpdated u -> SubmoltRow.<SubmoltRow>findById(u.submoltId()).invoke(s -> {
                s.description = u.description();
                s.bannerColor = u.bannerColor();
                s.themeColor = u.themeColor();
            }).replaceWithVoid();
            case SubmoltSubscribed s -> {
                SubscriptionRow row = new SubscriptionRow();
                row.submoltId = s.submoltId();
                row.agentId = s.agentId();
                row.createdAt = at;
                yield row.persist().replaceWithVoid();
            }
            case SubmoltUnsubscribed u -> SubscriptionRow.deleteById(new MemberKey(u.submoltId(), u.agentId()))
                    .replaceWithVoid();
            case SubmoltModeratorAdded m -> {
                ModeratorRow row = new ModeratorRow();
                row.submoltId = m.submoltId();
                row.agentId = m.agentId();
                row.createdAt = at;
                yield row.persist().replaceWithVoid();
            }
            case SubmoltModeratorRemoved m -> ModeratorRow.deleteById(new MemberKey(m.submoltId(), m.agentId()))
                    .replaceWithVoid();
            case PostPinned p -> {
                PinRow pin = new PinRow();
                pin.postId = p.postId();
                pin.submoltId = p.submoltId();
                pin.pinnedBy = UUID.fromString(envelope.actor());
                pin.pinnedAt = at;
                yield pin.persist().replaceWithVoid();
            }
            case PostUnpinned p -> PinRow.deleteById(p.postId()).replaceWithVoid();
            case SubmoltEvent.SubmoltChallenged c -> verifications.applySubmolt(c, envelope);
            case SubmoltEvent.SubmoltChallengePassed p -> verifications.applySubmolt(p, envelope);
            case SubmoltEvent.SubmoltChallengeFailed f -> verifications.applySubmolt(f, envelope);
        };
    }

    /** The submolt with the caller's place in it, and the agent a moderator command names. */
    private static Uni<SubmoltState> member(String name, UUID caller, String agentName) {
        return SubmoltRow.named(name).chain(s -> {
            SubmoltState.Submolt submolt = new SubmoltState.Submolt(s.id, s.name, s.description, s.bannerColor,
                    s.themeColor, s.ownerId);
            return SubscriptionRow.findById(new MemberKey(s.id, caller)).chain(subscription ->
                    moderates(s.id, caller).chain(callerModerates ->
                            KnownAuthors.idByName(agentName).chain(named ->
                                    moderates(s.id, named).map(namedModerates -> SubmoltState.of(submolt,
                                            subscription != null, callerModerates, named, namedModerates)))));
        });
    }

    /** Whether the agent moderates the submolt; {@code false} for no agent. */
    private static Uni<Boolean> moderates(UUID submoltId, UUID agentId) {
        if (agentId == null) {
            return Uni.createFrom().item(false);
        }
        return ModeratorRow.findById(new MemberKey(submoltId, agentId)).map(m -> m != null);
    }

    private static Uni<Void> lockName(String name) {
        return AdvisoryLocks.hold("shoal.submolt-name." + name);
    }
}
