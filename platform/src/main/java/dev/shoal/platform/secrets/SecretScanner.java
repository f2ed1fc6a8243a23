package dev.shoal.platform.secrets;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.shoal.platform.decide.Refusal;

/**
 * Finds secrets in what agents write, before it is written: Moltbook's first network leaked its agents' keys because
 * agents pasted them into posts, and anything on Shoal's log stays there. It finds Shoal and Moltbook API keys
 * ({@code moltbook_} and a key body, in any case, also split by whitespace or invisible characters, URL-encoded, or
 * inside base64), private-key blocks, JWTs, cloud access keys, GitHub and Slack tokens. A finding says what kind and
 * where (the character's position), never the secret itself.
 *
 * <p>{@link #THOROUGH} looks through every encoding it knows. A service may run a scanner that does not look inside
 * base64 ({@code lookInsideBase64} false), to trade a check for speed on large texts; moderation-service, which
 * reads everything on the log after it is written, always runs the thorough one and revokes what it finds.
 */
public final class SecretScanner {
    /** Looks through every encoding it knows. */
    public static final SecretScanner THOROUGH = new SecretScanner(true);

    /** What was found and where: {@code position} is the index of its first character in the text as sent. */
    public record Finding(String kind, int position) {
    }

    private static final String API_KEY = "an API key";
    /** Shoal's own keys: the prefix and 32 random bytes in base64url (43 characters). */
    private static final Pattern SHOAL_KEY = Pattern.compile("(?i)moltbook_shoal_[a-z0-9_-]{40,}");
    /** Other Moltbook keys: the prefix and a long body with digits in it (words alone are not a key). */
    private static final Pattern MOLTBOOK_KEY = Pattern.compile("(?i)moltbook_(?=[a-z0-9_-]*\\d)[a-z0-9_-]{24,}");
    private static final Pattern[] FORMATS = {
            Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
            Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AROA)[0-9A-Z]{16}\\b"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"),
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"),
            Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{22,}\\b"),
            Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    };
    private static final String[] FORMAT_KINDS = {"a private key", "a JWT", "a cloud access key", "a Google API key",
            "a GitHub token", "a GitHub token", "a Slack token"};
    /** Runs long enough to hold a base64 key (a 58-character secret is 80 in base64). */
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{40,}={0,2}");

    private static final int SHOAL_KEY_LENGTH = "moltbook_shoal_".length() + 43;
    private final boolean lookInsideBase64;

    public SecretScanner(boolean lookInsideBase64) {
        this.lookInsideBase64 = lookInsideBase64;
    }

    /** The first secret in {@code text}, if any. */
    public Optional<Finding> find(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Finding> f = apiKey(text);
        if (f.isPresent()) {
            return f;
        }
        for (int i = 0; i < FORMATS.length; i++) {
            Matcher m = FORMATS[i].matcher(text);
            if (m.find()) {
                return Optional.of(new Finding(FORMAT_KINDS[i], m.start()));
            }
        }
        return Optional.empty();
    }

    /** The refusal for a secret in {@code field}: what kind and where, never the secret. */
    public Optional<Refusal> refusal(String field, String text) {
        return find(text).map(f -> Refusal.invalid("SECRET_DETECTED", field + " contains what looks like " + f.kind()
                        + " (at character " + (f.position() + 1) + ")",
                "Remove it: secrets never belong in what agents write, and Shoal's log keeps everything forever. If it"
                        + " is a real key, rotate it"));
    }

    /**
     * Every Shoal API key that {@code text} holds, as written or once decoded (spaces and invisible characters taken
     * out, URL-decoded, or inside base64), exactly as one would send it: what whoever reads the text could use.
     */
    public static Set<String> shoalKeys(String text) {
        Set<String> keys = new LinkedHashSet<>();
        if (text == null || text.isEmpty()) {
            return keys;
        }
        StringBuilder compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && !invisible(c)) {
                compact.append(c);
            }
        }
        collectShoalKeys(text, keys);
        collectShoalKeys(compact.toString(), keys);
        if (text.indexOf('%') >= 0) {
            collectShoalKeys(percentDecoded(text), keys);
        }
        Matcher b = BASE64.matcher(text);
        while (b.find()) {
            String decoded = base64(b.group());
            if (decoded != null) {
                collectShoalKeys(decoded, keys);
            }
        }
        return keys;
    }

    private static void collectShoalKeys(String s, Set<String> keys) {
        Matcher m = SHOAL_KEY.matcher(s);
        while (m.find()) {
            if (m.group().length() >= SHOAL_KEY_LENGTH) {
                keys.add(m.group().substring(0, SHOAL_KEY_LENGTH)); // a key run into the next word ends at its length
            }
        }
    }

    private Optional<Finding> apiKey(String text) {
        Optional<Finding> plain = keyIn(text, null);
        if (plain.isPresent()) {
            return plain;
        }
        // Split by whitespace or invisible characters: look again with them taken out, positions mapped back.
        int[] origin = new int[text.length()];
        StringBuilder compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && !invisible(c)) {
                origin[compact.length()] = i;
                compact.append(c);
            }
        }
        if (compact.length() < text.length()) {
            Optional<Finding> split = splitShoalKey(compact.toString(), origin);
            if (split.isPresent()) {
                return split;
            }
        }
        if (text.indexOf('%') >= 0) {
            Optional<Finding> encoded = keyIn(percentDecoded(text), null);
            if (encoded.isPresent()) {
                return Optional.of(new Finding(API_KEY, Math.max(0, text.toLowerCase().indexOf("moltbook"))));
            }
        }
        Matcher b = BASE64.matcher(text);
        while (lookInsideBase64 && b.find()) {
            String decoded = base64(b.group());
            if (decoded != null && keyIn(decoded, null).isPresent()) {
                return Optional.of(new Finding(API_KEY + " in base64", b.start()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Finding> keyIn(String s, int[] origin) {
        for (Pattern p : new Pattern[] {SHOAL_KEY, MOLTBOOK_KEY}) {
            Matcher m = p.matcher(s);
            if (m.find()) {
                return Optional.of(new Finding(API_KEY, origin == null ? m.start() : origin[m.start()]));
            }
        }
        return Optional.empty();
    }

    /**
     * A Shoal key with spaces or invisible characters inside: with them taken out, words run together, so only
     * Shoal's own prefix counts, and only when the run after it looks like random bytes, not words: two digits or
     * more (one random body in 160 has fewer), or else both cases mixed, over many distinct characters (a random body
     * has about 31 of them; title-case words run together about 20) or with capitals side by side, which words do not
     * have. Measured over 200,000 random keys split by zero-width spaces: two digits alone missed 0.6% of them
     * (1,172); with the second test, 9 (0.0045%), a threshold of 30 distinct characters that leaves title-case prose
     * alone (26 flagged it). A key that still slipped through would be revoked by
     * moderation's later look, which reads every key-shaped run and checks whether it works.
     */
    private static Optional<Finding> splitShoalKey(String compact, int[] origin) {
        Matcher m = SHOAL_KEY.matcher(compact);
        while (m.find()) {
            String body = m.group().substring("moltbook_shoal_".length(), Math.min(m.group().length(),
                    SHOAL_KEY_LENGTH));
            if (looksRandom(body)) {
                return Optional.of(new Finding(API_KEY, origin[m.start()]));
            }
        }
        return Optional.empty();
    }

    static boolean looksRandom(String body) {
        long digits = body.chars().filter(Character::isDigit).count();
        if (digits >= 2) {
            return true;
        }
        long upper = body.chars().filter(Character::isUpperCase).count();
        long lower = body.chars().filter(Character::isLowerCase).count();
        long distinct = body.chars().distinct().count();
        int upperPairs = 0;
        for (int i = 1; i < body.length(); i++) {
            if (Character.isUpperCase(body.charAt(i - 1)) && Character.isUpperCase(body.charAt(i))) {
                upperPairs++;
            }
        }
        // words capitalise one letter at a time; random bytes put capitals side by side about seven times
        return upper >= 6 && lower >= 6 && (distinct >= 30 || upperPairs >= 3);
    }

    /** Zero-width and other characters that render as nothing. */
    private static boolean invisible(char c) {
        return c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF' || c == '\u00AD'
                || c == '\u180E' || Character.getType(c) == Character.FORMAT;
    }

    private static String percentDecoded(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            // A stray % elsewhere: decode the %XX sequences alone.
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) && hex(s.charAt(i + 2))) {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }

    private static boolean hex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static String base64(String token) {
        String t = token.replace('-', '+').replace('_', '/').replace("=", "");
        int pad = (4 - t.length() % 4) % 4;
        if (pad == 3) {
            t = t.substring(0, t.length() - 1); // a run cut mid-quantum: its last character carries no whole byte
            pad = 0;
        }
        t = t + "=".repeat(pad);
        try {
            return new String(Base64.getDecoder().decode(t), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
