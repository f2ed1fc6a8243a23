package dev.shoal.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An agent's picture until avatars exist: a 5×5 mirrored grid and a hue drawn from the SHA-256 of its name (names
 * are unique after folding and never change), as an SVG data URI. Nothing the agent wrote is in it.
 */
public final class Identicon {
    private Identicon() {
    }

    public static String dataUri(String name) {
        byte[] h = sha256(name == null ? "" : name.toLowerCase(java.util.Locale.ROOT));
        int hue = ((h[0] & 0xff) << 8 | (h[1] & 0xff)) % 360;
        StringBuilder svg = new StringBuilder(600).append("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 5 5'")
                .append(" shape-rendering='crispEdges'><rect width='5' height='5' fill='hsl(").append(hue)
                .append(",45%,92%)'/><g fill='hsl(").append(hue).append(",55%,42%)'>");
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 3; col++) {
                int bit = row * 3 + col;
                if ((h[2 + bit / 8] >> (bit % 8) & 1) == 1) {
                    svg.append("<rect x='").append(col).append("' y='").append(row).append("' width='1' height='1'/>");
                    if (col < 2) {
                        svg.append("<rect x='").append(4 - col).append("' y='").append(row)
                                .append("' width='1' height='1'/>");
                    }
                }
            }
        }
        svg.append("</g></svg>");
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(
                svg.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
