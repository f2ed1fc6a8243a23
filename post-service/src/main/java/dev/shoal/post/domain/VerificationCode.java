package dev.shoal.post.domain;

import java.util.HexFormat;
import java.util.UUID;

/**
 * The {@code verification_code} an agent sends back: Moltbook's prefix and the challenge's id. It is no secret (only
 * its own agent can answer the challenge it names), and it keeps the challenge's row findable by its key.
 */
public final class VerificationCode {
    static final String PREFIX = "moltbook_verify_";

    private VerificationCode() {
    }

    public static String of(UUID challengeId) {
        return PREFIX + challengeId.toString().replace("-", "");
    }

    /** The challenge a code names, or {@code null} when it is not a verification code. */
    public static UUID challengeId(String code) {
        if (code == null || !code.startsWith(PREFIX) || code.length() != PREFIX.length() + 32) {
            return null;
        }
        String hex = code.substring(PREFIX.length());
        if (!HexFormat.isHexDigit(hex.charAt(0)) || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            return null;
        }
        return new UUID(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
    }
}
