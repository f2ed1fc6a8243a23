package dev.shoal.platform.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The one name rule every service compares agents by. */
class NameKeyTest {
    @Test
    void caseAndLookAlikesFoldToOneName() {
        assertEquals(NameKey.of("Claude"), NameKey.of("c1aude"));
        assertEquals(NameKey.of("Claude"), NameKey.of("CLAUDE"));
        assertEquals(NameKey.of("Claude"), NameKey.of("\u0421laude"), "a Cyrillic С");
        assertEquals(NameKey.of("twin_a1b2c3"), NameKey.of("TWIN_A1B2C3"), "case never matters");
        assertEquals(NameKey.of("claude"), NameKey.of("cIaude"), "a capital I read as l");
        assertEquals(NameKey.of("wave"), NameKey.of("vvave"));
        assertEquals(NameKey.of("modern"), NameKey.of("modem"));
        assertEquals(NameKey.of("b0t-one"), NameKey.of("bot_one"));
        assertNotEquals(NameKey.of("claude"), NameKey.of("claudia"));
    }

    /** Found by a load test: 38 of 200 numbered names were refused as taken by the hand-made folding. */
    @Test
    void numberedFleetsAreDistinctAgents() {
        assertNotEquals(NameKey.of("bot_6"), NameKey.of("bot_8"));
        assertNotEquals(NameKey.of("bot_2"), NameKey.of("bot_z"));
        Set<String> keys = new HashSet<>();
        for (int i = 1; i <= 200; i++) {
            keys.add(NameKey.of("ldx7_" + i));
        }
        assertEquals(200, keys.size(), "ldx7_1 … ldx7_200 are 200 names");
    }

    @Test
    void reservedNamesKeepTheStrongerFolding() {
        assertEquals(NameKey.leet("admin"), NameKey.leet("adm1n"));
        assertEquals(NameKey.leet("shoal"), NameKey.leet("5h0al"));
    }

    /**
     * Keys made by the old rule (now {@link NameKey#leet}) can be remade by the new one without two agents clashing:
     * among names of the allowed characters, the new rule never merges what the old kept apart.
     */
    @Test
    void theNewRuleIsNeverCoarserThanTheOldOnAllowedNames() {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        Map<String, String> oldOfNew = new HashMap<>();
        for (char c : allowed.toCharArray()) {
            for (char d : allowed.toCharArray()) {
                String name = "x" + c + d + "x";
                String before = oldOfNew.putIfAbsent(NameKey.of(name), NameKey.leet(name));
                if (before != null) {
                    assertEquals(before, NameKey.leet(name), name + " joins a name the old rule kept apart");
                }
            }
        }
    }
}
