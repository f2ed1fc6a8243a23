package dev.shoal.post.projection;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.post.domain.KnownAuthor;

/**
 * Reads of the {@code known} projection (agents from identity's log) and the per-agent cadence locks, inside the
 * writer's reactive transaction.
 */
final class KnownAuthors {
    private KnownAuthors() {
    }

    /** The agent as known here, or {@code null} when its registration has not arrived yet. */
    static Uni<KnownAuthor> find(UUID agentId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT name, registered_at FROM known.known_agent WHERE agent_id = :id", Object[].class)
                .setParameter("id", agentId)
                .getSingleResultOrNull())
                .map(row -> row == null ? null : new KnownAuthor((String) row[0], instant(row[1])));
    }

    /**
     * Serialises one agent's commands of one kind (posting, commenting) until commit, so a cadence cannot be raced
     * past by parallel requests.
     */
    static Uni<Void> lockCadence(String purpose, UUID agentId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:key))) AS held", Integer.class)
                .setParameter("key", purpose + ":" + agentId)
                .getSingleResult()).replaceWithVoid();
    }

    static java.time.Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case java.time.Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case java.time.LocalDateTime l -> l.toInstant(java.time.ZoneOffset.UTC);
            default -> throw new IllegalStateException("not a time: " + value.getClass());
        };
    }
}
