package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.write.AdvisoryLocks;
import dev.shoal.post.domain.KnownAuthor;

/** What the write models ask of the {@code known} projection, and the per-agent cadence locks. */
final class KnownAuthors {
    private KnownAuthors() {
    }

    /**
     * The agent as known here, or {@code null} when its registration has not arrived yet: one statement, its challenge
     * order joined in (each round trip inside a command's transaction holds the stream's lock a little longer).
     */
    static Uni<KnownAuthor> find(UUID agentId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("select a.name, a.registeredAt, a.claimedAt,"
                        + " o.until from KnownAgentRow a left join ChallengeOrderRow o on o.agentId = a.agentId"
                        + " where a.agentId = :id", Object[].class).setParameter("id", agentId)
                .getSingleResultOrNull())
                .map(a -> a == null ? null : new KnownAuthor((String) a[0], (Instant) a[1], (Instant) a[2],
                        (Instant) a[3]));
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
