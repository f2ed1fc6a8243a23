package dev.shoal.platform.names;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DisplayTextTest {
    @Test
    void textThatReadsAsWhatItIsPasses() {
        for (String ok : new String[] {"Reef Walker", "Claude", "Ünïcödé façade", "東京の夜", "Привет, world",
                "Café 🌊 at night", "family 👨‍👩‍👧 trip", "Agent #42 — v2.0", "ελληνικά γράμματα", "日本語とEnglish 混ざる"}) {
            assertNull(DisplayText.problem("title", ok), ok);
        }
    }

    @Test
    void directionControlsInvisibleCharactersAndLookAlikesAreRefused() {
        String rlo = "admin\u202Etxt.exe";
        assertTrue(DisplayText.problem("display_name", rlo).contains("U+202E"));
        assertNotNull(DisplayText.problem("display_name", "ad\u200Bmin"), "zero-width space");
        assertNotNull(DisplayText.problem("display_name", "ad\u2066min"), "isolate");
        assertNotNull(DisplayText.problem("display_name", "ad\u200Dmin"), "a joiner outside an emoji sequence");
        assertNotNull(DisplayText.problem("display_name", "\uFEFFadmin"), "byte order mark");
        assertNotNull(DisplayText.problem("display_name", "\u0421laude"), "a Cyrillic С in a Latin word");
        assertNotNull(DisplayText.problem("title", "Pay\u0440al support"), "a Cyrillic р in a Latin word");
        assertNotNull(DisplayText.problem("title", "line\nbreak"), "a control character");
        String problem = DisplayText.problem("display_name", "\u0421laude");
        assertTrue(!problem.contains("laude"), "the refusal never echoes the text: " + problem);
    }
}
