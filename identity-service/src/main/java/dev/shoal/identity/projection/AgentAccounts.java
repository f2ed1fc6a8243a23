package dev.shoal.identity.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.AgentEvent;
import dev.shoal.events.AgentMetadata;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentErased;
import dev.shoal.identity.keys.DataKeyVault;
import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentReleasedByOwner;
import dev.shoal.events.AgentEvent.AgentSuspendedByOwner;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.LeakedApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.identity.domain.AgentCommand;
import dev.shoal.identity.domain.AgentCommand.Register;
import dev.shoal.identity.domain.AgentDecider;
import dev.shoal.identity.domain.AgentName;
import dev.shoal.identity.domain.AgentState;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.AdvisoryLocks;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/**
 * Agents' accounts as identity-service stores them ({@code agent}, {@code api_key}), changed only by their events.
 * A registration also locks its folded name, so of many registering look-alikes at once exactly one wins.
 */
@ApplicationScoped
public class AgentAccounts implements WriteModel<AgentState, AgentCommand, AgentEvent> {
    private final AgentDecider decider = new AgentDecider();
    private final Duration claimTtl;

    public AgentAccounts(ClaimsConfig claims) {
        this.claimTtl = claims.ttl();
    }

    @Override
    public Uni<StreamId> stream(AgentCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.IDENTITY, command.agentId().toString()));
    }

    @Override
    public Uni<AgentState> load(AgentCommand command) {
        if (command instanceof Register r) {
            if (AgentName.check(r.name()).isPresent()) {
                return Uni.createFrom().item(AgentState.nameFree()); // the rule refuses it before the name matters
            }
            String key = AgentName.key(r.name());
            return lockName(key).chain(() -> AgentRow.count("nameKey", key))
                    .map(n -> n > 0 ? AgentState.nameTakenAlready() : AgentState.nameFree());
        }
        return AgentRow.<AgentRow>findById(command.agentId()).chain(agent -> agent == null
                ? Uni.createFrom().item(AgentState.of(null))
                : ApiKeyRow.active(agent.id).map(key -> AgentState.of(new AgentState.Account(agent.id,
                agent.displayName, agent.description,
                agent.metadata == null ? AgentMetadata.NONE : new AgentMetadata(agent.metadata),
                key == null ? null : key.id, ownership(agent), AgentRow.ERASED.equals(agent.status)))));
    }

    private static AgentState.Ownership ownership(AgentRow agent) {
        return new AgentState.Ownership(agent.claimTokenHash, agent.claimExpiresAt, agent.verificationCode,
                agent.ownerSubject, agent.suspended);
    }

    @Override
    public Decision<AgentEvent> decide(AgentState state, AgentCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(AgentEvent event, EventEnvelope envelope) {
        Instant at = envelope.time();
        return switch (event) {
            case AgentRegistered r -> {
                AgentRow agent = new AgentRow();
                agent.id = r.agentId();
                agent.name = r.name();
                // The rule of today, not the event's key of its day: a restore keeps the tables on one rule.
                agent.nameKey = AgentName.key(r.name());
                agent.description = r.description();
                agent.metadata = Map.of();
                agent.status = AgentRow.PENDING_CLAIM;
                agent.claimTokenHash = r.claimTokenHash();
                agent.claimExpiresAt = at.plus(claimTtl);
                agent.verificationCode = r.verificationCode();
                agent.createdAt = at;
                agent.lastActive = at;
                yield agent.persist().chain(() -> newKey(r.keyId(), r.agentId(), r.apiKeyHash(), at).persist())
                        .replaceWithVoid();
            }
            case AgentProfileUpdated u -> AgentRow.<AgentRow>findById(u.agentId()).invoke(agent -> {
                agent.displayName = u.displayName();
                agent.description = u.description();
                agent.metadata = u.metadata().fields();
                agent.lastActive = at;
            }).replaceWithVoid();
            case ApiKeyRotated k -> revoke(k.previousKeyId(), at)
                    .chain(() -> newKey(k.keyId(), k.agentId(), k.apiKeyHash(), at).persist())
                    .chain(() -> touch(k.agentId(), at));
            case ApiKeyRevoked k -> revoke(k.keyId(), at);
            case LeakedApiKeyRevoked k -> revoke(k.keyId(), at).chain(() -> AgentRow.<AgentRow>findById(k.agentId()))
                    .invoke(agent -> agent.keyLeakedAt = at).replaceWithVoid();
            case AgentClaimed c -> AgentRow.<AgentRow>findById(c.agentId()).invoke(agent -> {
                agent.status = AgentRow.CLAIMED;
                agent.ownerSubject = c.ownerSubject();
                agent.showOwnerName(c.ownerName());
                agent.claimedAt = at;
            }).replaceWithVoid();
            case AgentSuspendedByOwner s -> AgentRow.<AgentRow>findById(s.agentId())
                    .invoke(agent -> agent.suspended = true).replaceWithVoid();
            case AgentReleasedByOwner r -> AgentRow.<AgentRow>findById(r.agentId())
                    .invoke(agent -> agent.suspended = false).replaceWithVoid();
            case AgentErased e -> AgentRow.<AgentRow>findById(e.agentId()).invoke(agent -> {
                agent.status = AgentRow.ERASED;
                agent.showOwnerName(null); // the owner's personal data goes with the account (its key, below)
                agent.suspended = false;
            }).chain(() -> DataKeyVault.destroyAll(e.agentId(), at));
        };
    }

    /** Holds the folded name until commit, so a look-alike registering at the same moment waits and then sees it. */
    private static Uni<Void> lockName(String nameKey) {
        return AdvisoryLocks.hold("shoal.agent-name." + nameKey);
    }

    private static ApiKeyRow newKey(UUID id, UUID agentId, String hash, Instant at) {
        ApiKeyRow key = new ApiKeyRow();
        key.id = id;
        key.agentId = agentId;
        key.keyHash = hash;
        key.createdAt = at;
        return key;
    }

    private static Uni<Void> revoke(UUID keyId, Instant at) {
        if (keyId == null) {
            return Uni.createFrom().voidItem();
        }
        return ApiKeyRow.<ApiKeyRow>findById(keyId).invoke(key -> key.revokedAt = at).replaceWithVoid();
    }

    static Uni<Void> touch(UUID agentId, Instant at) {
        return AgentRow.<AgentRow>findById(agentId).invoke(agent -> agent.lastActive = at).replaceWithVoid();
    }
}
