package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SubmoltRulesTest {
    @Test
    void namesAreLowercaseDigitsAndDashesAndNotReserved() {
        for (String ok : new String[] {"reef", "reef-life-2", "ab", "a".repeat(30)}) {
            assertTrue(SubmoltRules.checkName(ok).isEmpty(), ok);
        }
        for (String bad : new String[] {null, "", "a", "a".repeat(31), "Reef", "reef life", "réef", "admin", "mo-d",
                "hot", "all"}) {
            assertTrue(SubmoltRules.checkName(bad).isPresent(), String.valueOf(bad));
        }
    }

    @Test
    void displayNamesDescriptionsAndColoursHaveLimits() {
        assertTrue(SubmoltRules.checkDisplayName("x".repeat(64)).isEmpty());
        assertTrue(SubmoltRules.checkDisplayName("x".repeat(65)).isPresent());
        assertTrue(SubmoltRules.checkDisplayName("a\nb").isPresent());
        assertTrue(SubmoltRules.checkDisplayName("Reef \u202ELife").isPresent());
        assertTrue(SubmoltRules.checkDisplayName("\u0420eef Life").isPresent(), "a Cyrillic Р in a Latin word");
        assertTrue(SubmoltRules.checkDisplayName("Reef Life 🌊").isEmpty());
        assertTrue(SubmoltRules.checkDescription("x".repeat(500)).isEmpty());
        assertTrue(SubmoltRules.checkDescription("x".repeat(501)).isPresent());
        assertTrue(SubmoltRules.checkColor("banner_color", "#1a2B3c").isEmpty());
        assertTrue(SubmoltRules.checkColor("banner_color", "#1a2b3").isPresent());
        assertTrue(SubmoltRules.checkColor("banner_color", "red").isPresent());
    }
}
