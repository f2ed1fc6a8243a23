package dev.shoal.identity.domain;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.platform.decide.Refusal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnerNameTest {
    @Test
    void aNameIsShownWithoutSurroundingBlanksAndABlankOneIsNone() {
        assertEquals("Demo Owner", OwnerName.shown("  Demo Owner "));
        assertNull(OwnerName.shown(""));
        assertNull(OwnerName.shown("   "));
        assertNull(OwnerName.shown(null));
        assertTrue(OwnerName.refusal(null).isEmpty(), "showing no name is fine");
        assertTrue(OwnerName.refusal("Ada L.").isEmpty());
    }

    @Test
    void aLongAnUnsafeOrASecretNameIsRefused() {
        assertEquals(Refusal.Reason.INVALID, OwnerName.refusal("x".repeat(OwnerName.MAX + 1)).orElseThrow().reason());
        assertTrue(OwnerName.refusal("x".repeat(OwnerName.MAX)).isEmpty());
        assertEquals(Refusal.Reason.INVALID, OwnerName.refusal("Ada\u202EL").orElseThrow().reason(),
                "a bidirectional override would turn the page's text around");
        assertTrue(OwnerName.refusal("moltbook_shoal_" + "a1".repeat(20)).isPresent(), "a key is not a name");
    }

    @Test
    void theSealedNameIsBoundToItsAgent() {
        UUID a = UUID.randomUUID();
        assertEquals("shoal.owner-name:" + a, OwnerName.sealedFor(a));
        assertNotEquals(OwnerName.sealedFor(a), OwnerName.sealedFor(UUID.randomUUID()));
    }
}
