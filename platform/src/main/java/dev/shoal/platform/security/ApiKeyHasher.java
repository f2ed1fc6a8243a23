package dev.shoal.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * API keys and the keyed hashes that stand for them everywhere else. A key is {@code moltbook_shoal_} and 32 random
 * bytes in base64url: Moltbook's official SDK refuses keys not starting with {@code moltbook_}, and {@code shoal_}
 * lets secret scanners recognise ours. Only HMAC-SHA-256 of a key with the server secret is ever stored or logged,
 * so a leaked table or topic gives nobody a usable key.
 */
public final class ApiKeyHasher {
    public static final String PREFIX = "moltbook_shoal_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_LENGTH = PREFIX.length() + 43;

    private final SecretKeySpec secret;

    public ApiKeyHasher(String serverSecret) {
        if (serverSecret == null || serverSecret.length() < 16) {
            throw new IllegalArgumentException("the API key HMAC secret must have at least 16 characters");
        }
        this.secret = new SecretKeySpec(serverSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A new key, to be shown once. */
    public static String newKey() {
        return PREFIX + randomToken();
    }

    /** 32 random bytes in base64url without padding (43 characters). */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a presented string can be a Shoal key at all; anything else is refused without hashing. */
    public static boolean wellFormed(String key) {
        if (key == null || key.length() != KEY_LENGTH || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The keyed hash (hex) of a key or token. */
    public String hash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }
}
