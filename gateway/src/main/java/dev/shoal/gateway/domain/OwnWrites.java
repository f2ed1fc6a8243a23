package dev.shoal.gateway.domain;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Each agent's last write, as the owning service named it (topic and event id), for a few seconds: the agent's next
 * reads ask the reading service to wait until it has applied that write, so an agent always reads its own writes.
 * Bounded (an entry per agent that wrote in the last seconds) and forgotten soon: a write seconds old has long been
 * applied, and the seen ids that prove it are kept only for a window.
 */
public final class OwnWrites {
    private final Cache<UUID, String> last;

    public OwnWrites(Duration remember, long maxAgents) {
        this.last = Caffeine.newBuilder().expireAfterWrite(remember).maximumSize(maxAgents).build();
    }

    public void wrote(UUID agent, String written) {
        last.put(agent, written);
    }

    /** What the agent wrote last, in the last seconds, or null. */
    public String lastOf(UUID agent) {
        return last.getIfPresent(agent);
    }
}
