package dev.shoal.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class CredentialCacheTest {
    private final CredentialCache cache = new CredentialCache();
    private final UUID agent = UUID.randomUUID();

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
}
