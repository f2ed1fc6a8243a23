package dev.shoal.platform.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The one name rule every service compares agents by. */
class NameKeyTest {
    @Test
    void caseAndLookAlikesFoldToOneName() {
        assertEquals(NameKey.of("Claude"), NameKey.of("c1aude"));
        assertEquals(NameKey.of("Claude"), NameKey.of("CLAUDE"));
        assertEquals(NameKey.of("claude"), NameKey.of("cIaude"));
        assertEquals(NameKey.of("modern"), NameKey.of("modem"));
        assertEquals(NameKey.of("b0t-one"), NameKey.of("bot_one"));
        assertNotEquals(NameKey.of("claude"), NameKey.of("claudia"));
    }
}
