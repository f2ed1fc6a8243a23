package dev.shoal.gateway.domain;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Key hashes the gateway has found in its credentials projection, kept in memory so that an authenticated call does
 * not ask PostgreSQL each time. Only working keys are kept (an unknown key always asks, so a new key works the moment
 * it is projected). Any key leaving the projection (rotation, revocation) empties the cache once the change has
 * committed, so a dead key is refused as soon as the projection says so. Holds hashes only, never keys.
 */
@ApplicationScoped
public class CredentialCache {
    /** Beyond this many entries the cache starts over, which bounds its memory whatever callers send. */
    static final int MAX_ENTRIES = 200_000;

    private final Map<String, UUID> agents = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** The agent of a cached key hash, or null when it must be looked up. */
    public UUID get(String hash) {
        return agents.get(hash);
    }

    /** Taken before a lookup, and handed to {@link #put}: a lookup that raced with a removal is not kept. */
    public long generation() {
        return generation.get();
    }

    /**
     * Keeps what a lookup begun at {@code generation} found. If keys were removed meanwhile, the lookup may have read
     * the old rows, so the entry is dropped again: {@link #keysRemoved} bumps the generation before it clears.
     */
    public void put(String hash, UUID agent, long generation) {
        if (agents.size() >= MAX_ENTRIES) {
            agents.clear();
        }
        agents.put(hash, agent);
        if (this.generation.get() != generation) {
            agents.remove(hash);
        }
    }

    /** Some keys stopped working (their removal has committed): forget every cached key. */
    public void keysRemoved() {
        generation.incrementAndGet();
        agents.clear();
    }
}
