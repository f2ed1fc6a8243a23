package dev.shoal.gateway.domain;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Each agent's last writes, as the owning services named them (topic and event id), for a few seconds: the agent's
 * next reads ask the reading service to wait until it has applied them, so an agent reads its own writes. Kept in
 * this gateway's memory: a read that another gateway replica serves, or that follows a restart, does not wait.
 * Bounded (an entry per agent that wrote in the last seconds) and forgotten soon: a write seconds old has long been
 * applied, and the seen ids that prove it are kept only for a window.
 */
public final class OwnWrites {
    /** Writes kept per agent: its last ones, on whatever topics and partitions they went to. */
    static final int PER_AGENT = 16;
    private final Cache<UUID, java.util.ArrayDeque<String>> last;

    public OwnWrites(Duration remember, long maxAgents) {
        this.last = Caffeine.newBuilder().expireAfterWrite(remember).maximumSize(maxAgents).build();
    }

    public void wrote(UUID agent, String written) {
        java.util.ArrayDeque<String> writes = last.get(agent, a -> new java.util.ArrayDeque<>());
        synchronized (writes) {
            writes.remove(written);
            writes.addLast(written);
            while (writes.size() > PER_AGENT) {
                writes.removeFirst();
            }
        }
        last.put(agent, writes); // the window starts again from this write
    }

    /**
     * The agent's writes of the last seconds, comma-separated (a read may depend on any of them: a subscribe, then a
     * vote, then the submolt read), or null.
     */
    public String of(UUID agent) {
        java.util.ArrayDeque<String> writes = last.getIfPresent(agent);
        if (writes == null) {
            return null;
        }
        synchronized (writes) {
            return writes.isEmpty() ? null : String.join(",", writes);
        }
    }
}
