package dev.shoal.platform.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM, the JDK's: a fresh 96-bit nonce for every sealing, a 128-bit tag, and associated data that binds a
 * ciphertext to where it belongs (a message sealed for one conversation does not open as another's).
 */
public final class Aead {
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {
    }

    /** A sealed value: the nonce it was sealed with and the ciphertext with its tag. */
    public record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    /** A new random data key. */
    public static SecretKey newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(KEY_BYTES * 8, RANDOM);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES", e);
        }
    }

    public static SecretKey key(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has " + KEY_BYTES + " bytes, not " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    public static Sealed seal(SecretKey key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return new Sealed(nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /** Opens what {@link #seal} sealed with the same key and associated data; anything else is refused. */
    public static byte[] open(SecretKey key, Sealed sealed, byte[] associatedData) throws GeneralSecurityException {
        if (sealed.nonce().length != NONCE_BYTES) {
            throw new GeneralSecurityException("a nonce has " + NONCE_BYTES + " bytes");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(sealed.ciphertext());
    }

    /**
     * Pads a plaintext to a multiple of {@code block} bytes (ISO/IEC 7816-4: a 0x80 byte, then zeros), so a
     * ciphertext tells the length of what it hides only to that block.
     */
    public static byte[] pad(byte[] plain, int block) {
        int length = (plain.length / block + 1) * block;
        byte[] padded = java.util.Arrays.copyOf(plain, length);
        padded[plain.length] = (byte) 0x80;
        return padded;
    }

    /** Undoes {@link #pad}: drops the trailing zeros and the 0x80 before them. */
    public static byte[] unpad(byte[] padded) throws GeneralSecurityException {
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != (byte) 0x80) {
            throw new GeneralSecurityException("not padded");
        }
        return java.util.Arrays.copyOf(padded, end);
    }
}
