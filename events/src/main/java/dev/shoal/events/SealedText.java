package dev.shoal.events;

import java.util.UUID;

/**
 * A private text as the log carries it: AES-256-GCM ciphertext (base64, tag included) under the data key
 * {@code keyId}, sealed with {@code nonce} (base64) and its event's ids as associated data. The key is kept by the
 * writing service, never on the log: when it is destroyed, the text is gone from everywhere, the log included.
 */
public record SealedText(UUID keyId, String nonce, String ciphertext) {
}
