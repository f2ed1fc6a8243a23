package dev.shoal.platform.crypto;

import java.security.GeneralSecurityException;

/**
 * What wraps the data keys a service keeps: a key that is in neither the database nor the log. {@link LocalKeyFile}
 * is a file beside the stack ({@code ./services up}); in production a KMS takes its place behind this interface (its
 * wrap and unwrap calls, with the key's id as the KMS's key version), and no data key leaves the service unwrapped.
 *
 * <p>Several keys may be known at once, so data keys wrapped by an older one still open while they are wrapped again
 * by the current one (a rotation without downtime).
 */
public interface KeyEncryptionKey {

    /** The id of the key that wraps new data keys. */
    String currentId();

    /** Wraps a data key by the current key; {@code context} binds the wrapped key to its owner and use. */
    Wrapped wrap(byte[] dataKey, byte[] context);

    /** Unwraps a data key wrapped by the key {@code wrapped.kekId()}, which must still be known. */
    byte[] unwrap(Wrapped wrapped, byte[] context) throws GeneralSecurityException;

    /** A data key as stored: the id of the key that wrapped it, and the wrapped bytes (nonce, then ciphertext). */
    record Wrapped(String kekId, byte[] bytes) {
    }
}
