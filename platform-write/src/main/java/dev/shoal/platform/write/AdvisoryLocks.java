package dev.shoal.platform.write;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Transaction-scoped advisory locks, for what a rule depends on beyond its stream: a name being free, an agent's
 * cadence. Held until the writer's transaction ends; keys are namespaced strings such as {@code shoal.agent-name.x}.
 */
public final class AdvisoryLocks {
    private AdvisoryLocks() {
    }

    public static Uni<Void> hold(String key) {
        // A native mutation, not a typed select: see EventWriter on Hibernate's cache of native selects.
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .setParameter("key", key)
                .executeUpdate()).replaceWithVoid();
    }
}
