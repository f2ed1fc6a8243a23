package dev.shoal.post.projection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.shoal.post.domain.VerificationPuzzle;

/**
 * The verification challenges' secret: each puzzle is made from a seed keyed by it and the challenge's id, and each
 * answer is kept as a hash keyed by it. Whoever reads the log or a dump of the tables can neither make a puzzle
 * again nor try answers against a hash; the key lives only in post-service's environment ({@code ./services} makes
 * one per stack).
 */
@ApplicationScoped
public class ChallengeSecrets {
    private final SecretKeySpec key;

    public ChallengeSecrets(@ConfigProperty(name = "shoal.verification.secret") String secret) {
        if (secret.length() < 16) {
            throw new IllegalArgumentException("shoal.verification.secret must be at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The puzzle of challenge {@code id}: the same each time it is asked for. */
    public VerificationPuzzle puzzle(UUID id) {
        return VerificationPuzzle.of(ByteBuffer.wrap(mac("seed " + id)).getLong());
    }

    /** The keyed hash of {@code canonicalAnswer} given to challenge {@code id} (bound to it: no hash fits two). */
    public String answerHash(UUID id, String canonicalAnswer) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac("answer " + id + " " + canonicalAnswer));
    }

    /** The keyed hash of challenge {@code id}'s own answer. */
    public String answerHash(UUID id) {
        return answerHash(id, puzzle(id).answer().toPlainString());
    }

    private byte[] mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
