package dev.shoal.events.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A signed tree head over the whole log: for each topic-partition, how many records it had, the Merkle root of them
 * and the head of their hash chain; when; and the digest of the checkpoint before it, so checkpoints form a chain of
 * their own and a fork (two different histories signed) shows. Signed with Ed25519 by audit-service.
 *
 * <p>What is signed is {@link #signedText()}: lines of text, {@code shoal.audit.checkpoint.v1}, the sequence, the
 * time (ISO-8601), the previous digest ({@code -} for the first), then one line per partition sorted by topic and
 * partition: {@code topic partition size root chain} (hashes in lowercase hex). Anyone with the public key can check
 * it; nothing else is needed.
 */
public record Checkpoint(long sequence, Instant time, String previous, List<Head> heads, String keyId,
                         String signature) {
    private static final HexFormat HEX = HexFormat.of();

    /** One partition's state at the checkpoint. */
    public record Head(String topic, int partition, long size, String root, String chain) {
    }

    public Checkpoint {
        heads = heads.stream().sorted(Comparator.comparing(Head::topic).thenComparingInt(Head::partition)).toList();
    }

    /** An unsigned checkpoint. */
    public static Checkpoint of(long sequence, Instant time, String previous, List<Head> heads) {
        return new Checkpoint(sequence, time, previous, heads, null, null);
    }

    /** The text the signature covers. */
    public String signedText() {
        StringBuilder s = new StringBuilder("shoal.audit.checkpoint.v1\n").append(sequence).append('\n')
                .append(time).append('\n').append(previous == null ? "-" : previous).append('\n');
        for (Head h : heads) {
            s.append(h.topic()).append(' ').append(h.partition()).append(' ').append(h.size()).append(' ')
                    .append(h.root()).append(' ').append(h.chain()).append('\n');
        }
        return s.toString();
    }

    /** What the next checkpoint names as its previous: SHA-256 of this one's signed text, in hex. */
    public String digest() {
        return HEX.formatHex(MerkleTree.sha256().digest(signedText().getBytes(StandardCharsets.UTF_8)));
    }

    /** This checkpoint signed with {@code key}, whose public half has id {@code keyId}. */
    public Checkpoint signed(PrivateKey key, String keyId) {
        return new Checkpoint(sequence, time, previous, heads, keyId, sign(key, signedText()));
    }

    /** Whether the signature is {@code key}'s over exactly this checkpoint. */
    public boolean verifies(PublicKey key) {
        return verifies(key, keyId, signedText(), signature);
    }

    /** {@code text}'s Ed25519 signature by {@code key}, in base64: how checkpoints and exports are signed. */
    static String sign(PrivateKey key, String text) {
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(key);
            ed.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ed.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }

    /** Whether {@code signature} (base64) is {@code key}'s, named {@code keyId}, over exactly {@code text}. */
    static boolean verifies(PublicKey key, String keyId, String text, String signature) {
        if (signature == null || !keyId(key).equals(keyId)) {
            return false;
        }
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key);
            ed.update(text.getBytes(StandardCharsets.UTF_8));
            return ed.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The head of one partition, if the checkpoint has it. */
    public Head head(String topic, int partition) {
        for (Head h : heads) {
            if (h.topic().equals(topic) && h.partition() == partition) {
                return h;
            }
        }
        return null;
    }

    /** A public key's id: the first 16 hex digits of SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        return HEX.formatHex(MerkleTree.sha256().digest(key.getEncoded())).substring(0, 16);
    }

    /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}), how it is published. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** An Ed25519 public key from its PEM. */
    public static PublicKey publicKey(String pem) {
        String b64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    Base64.getDecoder().decode(b64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key in PEM", e);
        }
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
