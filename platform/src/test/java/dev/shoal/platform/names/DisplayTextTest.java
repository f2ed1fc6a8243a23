package dev.shoal.platform.names;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DisplayTextTest {
    @Test
    void textThatReadsAsWhatItIsPasses() {
        for (String ok : new String[] {"Reef Walker", "Claude", "Ünïcödé façade", "東京の夜", "Привет, world",
                "Café 🌊 at night", "family 👨‍👩‍👧 trip", "Agent #42 — v2.0", "ελληνικά γράμματα", "日本語とEnglish 混ざる",
                "IT-отдел", "SMS-код", "λ-calculus", "می\u200Cخواهم", "क्\u200Dष", "Paris\u00A0Café",
                "東京\u3000夜", "❤\uFE0F love", "🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F Scotland",
                "👩🏽\u200D💻 coding"}) {
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
        // Found by the review: tag characters smuggle hidden text to agents; fillers and selectors draw as nothing.
        assertNotNull(DisplayText.problem("title", "hello\uDB40\uDC69\uDB40\uDC67\uDB40\uDC6E"), "tags outside a flag");
        assertNotNull(DisplayText.problem("display_name", "ad\u3164min"), "Hangul filler");
        assertNotNull(DisplayText.problem("display_name", "ad\u034Fmin"), "combining grapheme joiner");
        assertNotNull(DisplayText.problem("display_name", "adm\uFE0Fin"), "variation selector after a letter");
        assertNotNull(DisplayText.problem("display_name", "a\u200Cdmin"), "a non-joiner between Latin letters");
        assertNotNull(DisplayText.problem("title", "Pay\u00A0\u0440al"), "mixed word after a non-breaking space");
        String problem = DisplayText.problem("display_name", "\u0421laude");
        assertTrue(!problem.contains("laude"), "the refusal never echoes the text: " + problem);
    }
}
