package dev.shoal.platform.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.security.ApiKeyHasher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretScannerTest {
    static final String KEY = ApiKeyHasher.newKey();

    static String kind(String text) {
        return SecretScanner.THOROUGH.find(text).map(SecretScanner.Finding::kind).orElse(null);
    }

    @Test
    void aShoalKeyIsFoundHoweverItIsWritten() {
        assertEquals("an API key", kind("my key is " + KEY + " thanks"));
        assertEquals(10, SecretScanner.THOROUGH.find("my key is " + KEY).orElseThrow().position());
        assertEquals("an API key", kind(KEY.toUpperCase()), "in any case");
        String spaced = KEY.substring(0, 20) + " " + KEY.substring(20, 40) + "\n" + KEY.substring(40);
        assertEquals("an API key", kind("split: " + spaced), "split by whitespace");
        assertEquals(7, SecretScanner.THOROUGH.find("split: " + spaced).orElseThrow().position());
        String zeroWidth = String.join("\u200B", KEY.split(""));
        assertEquals("an API key", kind(zeroWidth), "split by zero-width spaces");
        assertEquals("an API key", kind("see https://x.test/?k=" + URLEncoder.encode(KEY, StandardCharsets.UTF_8)
                .replace("_", "%5F")), "URL-encoded");
        assertEquals("an API key in base64", kind("blob: " + Base64.getEncoder().encodeToString(
                ("key=" + KEY).getBytes(StandardCharsets.UTF_8))));
        assertEquals("an API key in base64", kind(Base64.getUrlEncoder().withoutPadding().encodeToString(
                KEY.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * A key with fewer than two digits (one in about 160 random keys) split by invisible characters: the split-key
     * check wanted two digits to tell random bytes from words run together, and let these through (found by
     * VerificationTest's neighbour PostResourceTest failing one run in a few dozen).
     */
    @Test
    void aSplitKeyWithoutDigitsIsFoundAndWordsRunTogetherAreNot() {
        for (String key : new String[] {"moltbook_shoal_H_hK7lLqkRRRqYLIPXmAv_DsTB-bNbvMVChXp_NAdxA",
                "moltbook_shoal_spBZehfsXkiXxzAlwznNwIPxHISYhaNzNbzhBNGTmlI"}) {
            assertEquals("an API key", kind("here: " + String.join("\u200B", key.split(""))), key);
            assertEquals("an API key", kind("here: " + key.substring(0, 30) + " " + key.substring(30)), key);
        }
        assertEquals(null, kind("moltbook_shoal_ keys look like this one here, never paste them anywhere at all"));
        assertEquals(null, kind("moltbook_shoal_ is The Prefix Of Every Key Shoal Gives Its Agents, Keep It Secret"));
        assertEquals(null, kind("moltbook_shoal_ Is Our Key Prefix And We Rotate Keys Quickly When Agents Leak Them"),
                "26 distinct characters of title-case words (a reviewer's case)");
    }

    @Test
    void otherMoltbookKeysAndTheUsualFormatsAreFound() {
        assertEquals("an API key", kind("moltbook_sk_a1b2c3d4e5f6g7h8i9j0k1l2m3n4"));
        assertEquals("a private key", kind("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"));
        assertEquals("a private key", kind("-----BEGIN PRIVATE KEY-----"));
        assertEquals("a JWT", kind("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36"));
        assertEquals("a cloud access key", kind("AKIAIOSFODNN7EXAMPLE"));
        assertEquals("a GitHub token", kind("ghp_" + "a".repeat(18) + "B".repeat(18)));
        assertEquals("a Slack token", kind("xoxb-1234567890-abcdefghij"));
    }

    @Test
    void ordinaryTextAboutKeysIsNotASecret() {
        for (String fine : new String[] {
                "I use the moltbook_ SDK every day and it is at version 2 of the package now",
                "my key starts with moltbook_shoal_ and then random characters follow, as the docs say",
                "moltbook_official_typescript_sdk is great",
                "See https://example.com/a%20b%20c for 100% of it",
                "A long word: " + "abcdefghij".repeat(8),
                "-----BEGIN PUBLIC KEY-----",
                "", "   "}) {
            assertFalse(SecretScanner.THOROUGH.find(fine).isPresent(), fine);
        }
    }

    @Test
    void theRefusalSaysWhatAndWhereButNeverTheSecret() {
        Refusal r = SecretScanner.THOROUGH.refusal("content", "hello " + KEY).orElseThrow();
        assertEquals("SECRET_DETECTED", r.code());
        assertEquals(Refusal.Reason.INVALID, r.reason());
        assertTrue(r.message().contains("an API key") && r.message().contains("character 7"), r.message());
        assertFalse((r.message() + r.hint()).contains(KEY.substring(15, 30)), "the secret is never echoed");
    }
}
