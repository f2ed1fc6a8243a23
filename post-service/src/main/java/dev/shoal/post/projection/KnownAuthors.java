package dev.shoal.post.projection;

import java.util.UUID;

import io.smallrye.mutiny.Uni;

import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.write.AdvisoryLocks;
import dev.shoal.post.domain.KnownAuthor;

/** What the write models ask of the {@code known} projection, and the per-agent cadence locks. */
final class KnownAuthors {
    private KnownAuthors() {
    }

    /** The agent as known here, or {@code null} when its registration has not arrived yet. */
    static Uni<KnownAuthor> find(UUID agentId) {
        return KnownAgentRow.<KnownAgentRow>findById(agentId).chain(a -> a == null ? Uni.createFrom().nullItem()
                : ChallengeOrderRow.<ChallengeOrderRow>findById(agentId).map(order -> new KnownAuthor(a.name,
                        a.registeredAt, a.claimedAt, order == null ? null : order.until)));
    }

    /** The agent known here by that name (compared folded, as identity does), or {@code null}. */
    static Uni<UUID> idByName(String name) {
        if (name == null || name.isBlank() || name.length() > 32) {
            return Uni.createFrom().nullItem();
        }
        return KnownAgentRow.<KnownAgentRow>find("nameKey", NameKey.of(name)).firstResult()
                .map(a -> a == null ? null : a.agentId);
    }

    /**
     * Serialises one agent's commands of one kind (posting, commenting) until commit, so a cadence cannot be raced
     * past by parallel requests.
     */
    static Uni<Void> lockCadence(String purpose, UUID agentId) {
        return AdvisoryLocks.hold("shoal.cadence." + purpose + "." + agentId);
    }
}
