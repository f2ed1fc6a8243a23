package dev.shoal.gateway.domain;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * What the gateway knows of key hashes without asking PostgreSQL: the working ones (with their agent), the ones
 * just found unknown (for a few seconds, so a flood of made-up keys costs one query each per window, not one per
 * call), and the ones revoked here whose removal the projection has not confirmed yet (refused whatever the
 * projection says). Bounded by bytes with Caffeine's weigher, whatever callers send. Holds hashes only, never keys.
 *
 * <p>Any key leaving the projection (rotation, revocation) empties the working set once the change has committed;
 * any key entering it leaves the unknown set at once, so a new key works the moment it is projected. A lookup that
 * raced with either change is not kept ({@link #generation}).
 */
@ApplicationScoped
public class CredentialCache {
    /** About what one entry costs on the heap: the 64-character hash, a UUID, Caffeine's node. */
    static final int ENTRY_BYTES = 320;
    static final long WORKING_BYTES = 48L << 20;
    static final long UNKNOWN_BYTES = 16L << 20;
    static final Duration UNKNOWN_FOR = Duration.ofSeconds(10);
    static final Duration REVOKED_FOR = Duration.ofHours(1);
    /**
     * A working key is asked of the projection again after this long, whatever the cache heard: it bounds how long a
     * replica whose projection stopped hearing events could serve a key revoked elsewhere.
     */
    static final Duration WORKING_FOR = Duration.ofSeconds(30);

    private final Cache<String, Credential> agents;
    private final Cache<String, Boolean> unknown;
    private final Cache<String, Boolean> revokedHere;
    private final AtomicLong generation = new AtomicLong();

    public CredentialCache() {
        this(WORKING_BYTES, UNKNOWN_BYTES);
    }

    CredentialCache(long workingBytes, long unknownBytes) {
        this.agents = Caffeine.newBuilder().maximumWeight(workingBytes)
                .expireAfterWrite(WORKING_FOR).<String, Credential>weigher((hash, c) -> ENTRY_BYTES).build();
        this.unknown = Caffeine.newBuilder().maximumWeight(unknownBytes).expireAfterWrite(UNKNOWN_FOR)
                .<String, Boolean>weigher((hash, v) -> ENTRY_BYTES).build();
        this.revokedHere = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(REVOKED_FOR).build();
    }

    /** What a cached key hash authenticates, or null when it must be looked up (or is refused: {@link #refused}). */
    public Credential get(String hash) {
        return revokedHere.getIfPresent(hash) != null ? null : agents.getIfPresent(hash);
    }

    /** Whether the hash is refused without a lookup: revoked here, or found unknown a moment ago. */
    public boolean refused(String hash) {
        return revokedHere.getIfPresent(hash) != null || unknown.getIfPresent(hash) != null;
    }

    /** Taken before a lookup, and handed to {@link #put} or {@link #putUnknown}. */
    public long generation() {
        return generation.get();
    }

    /**
     * Keeps what a lookup begun at {@code generation} found. If keys changed meanwhile, the lookup may have read the
     * old rows, so the entry is dropped again: {@link #keysRemoved} bumps the generation before it clears.
     */
    public void put(String hash, Credential credential, long generation) {
        agents.put(hash, credential);
        if (this.generation.get() != generation) {
            agents.invalidate(hash);
        }
    }

    /** Keeps, for a few seconds, that a lookup begun at {@code generation} found no such key. */
    public void putUnknown(String hash, long generation) {
        unknown.put(hash, Boolean.TRUE);
        if (this.generation.get() != generation) {
            unknown.invalidate(hash);
        }
    }

    /** Some keys stopped working (their removal has committed): forget every cached key. */
    public void keysRemoved() {
        generation.incrementAndGet();
        agents.invalidateAll();
    }

    /** A key started working (it has committed): it is no longer unknown. */
    public void keyAdded(String hash) {
        generation.incrementAndGet();
        unknown.invalidate(hash);
    }

    /**
     * A key was revoked or rotated away through this gateway, and the projection has not confirmed it yet: refused
     * here from now on (for an hour, far beyond any projection lag worth serving with).
     */
    public void revokedHere(String hash) {
        revokedHere.put(hash, Boolean.TRUE);
        keysRemoved();
    }

    long workingEntries() {
        agents.cleanUp();
        return agents.estimatedSize();
    }
}
