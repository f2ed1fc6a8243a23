package dev.shoal.post.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorRemoved;
import dev.shoal.events.SubmoltEvent.SubmoltSettingsUpdated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.SubmoltEvent.SubmoltUnsubscribed;
import dev.shoal.post.domain.SubmoltCommand.AddModerator;
import dev.shoal.post.domain.SubmoltCommand.CreateSubmolt;
import dev.shoal.post.domain.SubmoltCommand.RemoveModerator;
import dev.shoal.post.domain.SubmoltCommand.Subscribe;
import dev.shoal.post.domain.SubmoltCommand.Unsubscribe;
import dev.shoal.post.domain.SubmoltCommand.UpdateSettings;
import dev.shoal.post.domain.SubmoltState.Submolt;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/**
 * Who may do what to a submolt: anyone creates one (agents younger than a day only {@code submoltsPerNewAgent}) and
 * becomes its owner and first subscriber; anyone subscribes; the owner or a moderator edits settings; only the
 * owner names or removes moderators. Subscribing twice or naming a moderator again changes nothing. A submolt by an
 * agent moderation flagged waits for a verification challenge (30 seconds, Moltbook's), unlisted and closed.
 */
public final class SubmoltDecider implements Decider<SubmoltState, SubmoltCommand, SubmoltEvent> {
    public static final String GENERAL = "general";

    /** Moltbook's limits for new agents, and how long a challenged submolt waits for its answer (30 s). */
    public record Limits(Duration newAgentAge, int submoltsPerNewAgent, Duration challengeTtl) {
        public Limits(Duration newAgentAge, int submoltsPerNewAgent) {
            this(newAgentAge, submoltsPerNewAgent, Duration.ofSeconds(30));
        }
    }

    private final Limits limits;

    public SubmoltDecider(Limits limits) {
        this.limits = limits;
    }

    @Override
    public Decision<SubmoltEvent> decide(SubmoltState state, SubmoltCommand command, Instant now) {
        return switch (command) {
            case CreateSubmolt c -> create(state, c, now);
            case Subscribe s -> state.callerSubscribed() ? Decision.nothing()
                    : Decision.accept(new SubmoltSubscribed(state.submolt().id(), s.agentId()));
            case Unsubscribe u -> state.callerSubscribed()
                    ? Decision.accept(new SubmoltUnsubscribed(state.submolt().id(), u.agentId()))
                    : Decision.nothing();
            case UpdateSettings u -> settings(state, u);
            case AddModerator a -> moderators(state, a.ownerId(), a.agentName()).orElseGet(() -> {
                if (state.namedAgent().equals(a.ownerId())) {
                    return Decision.refuse(Refusal.invalid("BAD_REQUEST", "The owner is already in charge",
                            "Name another agent"));
                }
                return state.namedAgentModerates() ? Decision.nothing()
                        : Decision.accept(new SubmoltModeratorAdded(state.submolt().id(), state.namedAgent()));
            });
            case RemoveModerator r -> moderators(state, r.ownerId(), r.agentName()).orElseGet(() ->
                    state.namedAgentModerates()
                            ? Decision.accept(new SubmoltModeratorRemoved(state.submolt().id(), state.namedAgent()))
                            : Decision.refuse(Refusal.notFound("That agent is not a moderator here",
                            "List the moderators first")));
        };
    }

    private Decision<SubmoltEvent> create(SubmoltState state, CreateSubmolt c, Instant now) {
        Optional<Refusal> invalid = SubmoltRules.checkName(c.name())
                .or(() -> SubmoltRules.checkDisplayName(c.displayName()))
                .or(() -> SubmoltRules.checkDescription(c.description()));
        if (invalid.isPresent()) {
            return Decision.refuse(invalid.get());
        }
        if (c.creatorId() != null && KnownAuthor.newcomer(state.creator(), now, limits.newAgentAge())
                && state.ownedByCreator() >= limits.submoltsPerNewAgent()) {
            Instant grownUp = state.creator() == null ? now.plus(limits.newAgentAge())
                    : state.creator().registeredAt().plus(limits.newAgentAge());
            return Decision.refuse(Refusal.tooSoon("Agents younger than a day can create "
                    + limits.submoltsPerNewAgent() + " submolt", "Try again when your agent is a day old",
                    Duration.between(now, grownUp)));
        }
        if (state.nameTaken()) {
            return Decision.refuse(Refusal.conflict("A submolt with that name exists", "Choose another name or join it"));
        }
        SubmoltCreated created = new SubmoltCreated(c.submoltId(), c.name(),
                c.displayName() == null ? c.name() : c.displayName(), c.description() == null ? "" : c.description(),
                c.allowCrypto(), c.creatorId());
        if (c.creatorId() == null) {
            return Decision.accept(created);
        }
        SubmoltSubscribed subscribed = new SubmoltSubscribed(c.submoltId(), c.creatorId());
        if (!KnownAuthor.challenged(state.creator(), now)) {
            return Decision.accept(created, subscribed);
        }
        // The challenge comes first: every reader knows the submolt waits before it learns of the submolt.
        return Decision.accept(new SubmoltEvent.SubmoltChallenged(c.submoltId(), PostDecider.challengeIdOf(
                c.submoltId()), c.creatorId(), now.plus(limits.challengeTtl())), created, subscribed);
    }

    private static Decision<SubmoltEvent> settings(SubmoltState state, UpdateSettings u) {
        if (u.description() == null && u.bannerColor() == null && u.themeColor() == null) {
            return Decision.refuse(Refusal.invalid("Nothing to update", "Send description, banner_color or theme_color"));
        }
        Optional<Refusal> invalid = SubmoltRules.checkDescription(u.description())
                .or(() -> SubmoltRules.checkColor("banner_color", u.bannerColor()))
                .or(() -> SubmoltRules.checkColor("theme_color", u.themeColor()));
        if (invalid.isPresent()) {
            return Decision.refuse(invalid.get());
        }
        Submolt s = state.submolt();
        if (!u.agentId().equals(s.ownerId()) && !state.callerModerates()) {
            return Decision.refuse(Refusal.forbidden("Only the submolt's owner or moderators can change its settings",
                    "Ask the owner"));
        }
        return Decision.accept(new SubmoltSettingsUpdated(s.id(),
                u.description() != null ? u.description() : s.description(),
                u.bannerColor() != null ? u.bannerColor() : s.bannerColor(),
                u.themeColor() != null ? u.themeColor() : s.themeColor()));
    }

    /** The refusals both moderator commands share: owner only, then an agent that exists by that name. */
    private static Optional<Decision<SubmoltEvent>> moderators(SubmoltState state, UUID caller, String agentName) {
        if (!caller.equals(state.submolt().ownerId())) {
            return Optional.of(Decision.refuse(Refusal.forbidden("Only the submolt's owner can change its moderators",
                    "Ask the owner")));
        }
        if (agentName == null || agentName.isBlank() || agentName.length() > 32) {
            return Optional.of(Decision.refuse(Refusal.invalid("agent_name is required",
                    "Send {\"agent_name\": \"...\"}")));
        }
        if (state.namedAgent() == null) {
            return Optional.of(Decision.refuse(Refusal.notFound("Agent not found", "Check the agent's name")));
        }
        return Optional.empty();
    }
}
