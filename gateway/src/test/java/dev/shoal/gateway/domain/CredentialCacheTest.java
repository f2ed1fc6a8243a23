package dev.shoal.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class CredentialCacheTest {
    private final CredentialCache cache = new CredentialCache();
    private final Credential agent = new Credential(UUID.randomUUID(), UUID.randomUUID());

    @Test
    void aLookupKeepsWhatItFoundUntilKeysAreRemoved() {
        cache.put("h1", agent, cache.generation());
        assertEquals(agent, cache.get("h1"));
        cache.keysRemoved();
        assertNull(cache.get("h1"), "a removal forgets every cached key");
    }

    @Test
    void aLookupThatRacedWithARemovalIsNotKept() {
        long before = cache.generation(); // the lookup starts and may read the row before the removal commits ...
        cache.keysRemoved();             // ... the removal commits and clears ...
        cache.put("h1", agent, before);  // ... and the lookup's stale answer arrives afterwards
        assertNull(cache.get("h1"), "a stale answer must not bring a dead key back");
        cache.put("h1", agent, cache.generation());
        assertEquals(agent, cache.get("h1"), "a lookup begun after the removal is kept");
    }

    @Test
    void anUnknownKeyIsRefusedWithoutALookupUntilItIsAdded() {
        cache.putUnknown("h2", cache.generation());
        assertTrue(cache.refused("h2"), "a key found unknown a moment ago costs no second lookup");
        cache.keyAdded("h2");
        assertFalse(cache.refused("h2"), "a key that enters the projection works at once");
        long before = cache.generation();
        cache.keyAdded("h3");              // the key is projected while a lookup that missed it is in flight
        cache.putUnknown("h3", before);
        assertFalse(cache.refused("h3"), "a stale miss must not hide a new key");
    }

    @Test
    void aKeyRevokedHereIsRefusedWhateverTheProjectionSays() {
        cache.put("h4", agent, cache.generation());
        cache.revokedHere("h4");
        assertNull(cache.get("h4"));
        assertTrue(cache.refused("h4"));
        cache.put("h4", agent, cache.generation()); // a lagging projection still has the row
        assertNull(cache.get("h4"), "a revocation not yet projected still refuses the key");
    }

    @Test
    void memoryIsBoundedByBytesWhateverCallersSend() {
        CredentialCache small = new CredentialCache(CredentialCache.ENTRY_BYTES * 1_000L, 1 << 20);
        for (int i = 0; i < 50_000; i++) {
            small.put("h" + i, agent, small.generation());
        }
        assertTrue(small.workingEntries() <= 1_000, "entries kept: " + small.workingEntries());
    }
}
