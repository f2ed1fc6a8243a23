package dev.shoal.audit.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.Startup;

import dev.shoal.events.audit.Checkpoint;

/**
 * The Ed25519 key that signs checkpoints. It lives in a file of its own, mode 600 (refused otherwise), made at the
 * first start; never in the database nor on the log, so neither a dump nor the broker can forge a checkpoint. Its
 * public half is written beside it as PEM ({@code .pub}), for anyone to verify with.
 */
@Startup
@ApplicationScoped
public class SigningKey {
    private final KeyPair pair;
    private final String keyId;

    public SigningKey(@ConfigProperty(name = "shoal.audit.signing-key-file") Path file) {
        try {
            this.pair = Files.exists(file) ? read(file) : create(file);
            Files.writeString(file.resolveSibling(file.getFileName() + ".pub"), Checkpoint.pem(pair.getPublic()));
        } catch (IOException e) {
            throw new UncheckedIOException("the checkpoint signing key " + file + " cannot be used", e);
        }
        this.keyId = Checkpoint.keyId(pair.getPublic());
    }

    public PrivateKey privateKey() {
        return pair.getPrivate();
    }

    public PublicKey publicKey() {
        return pair.getPublic();
    }

    public String keyId() {
        return keyId;
    }

    private static KeyPair read(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!PosixFilePermissions.fromString("rw-------").containsAll(perms)) {
            throw new IllegalStateException(file + " may be read by others (" + PosixFilePermissions.toString(perms)
                    + "): make it mode 600 or take a new key");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        try {
            KeyFactory ed = KeyFactory.getInstance("Ed25519");
            Base64.Decoder b64 = Base64.getDecoder();
            return new KeyPair(ed.generatePublic(new X509EncodedKeySpec(b64.decode(value(lines, "public")))),
                    ed.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(value(lines, "private")))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " holds no Ed25519 key pair", e);
        }
    }

    private static String value(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no " + name + " line"));
    }

    private static KeyPair create(Path file) throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK since 15 has Ed25519", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path fresh = dir.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        Files.createFile(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Base64.Encoder b64 = Base64.getEncoder();
        Files.writeString(fresh, "public " + b64.encodeToString(pair.getPublic().getEncoded()) + "\nprivate "
                + b64.encodeToString(pair.getPrivate().getEncoded()) + "\n", StandardCharsets.US_ASCII);
        try (var channel = java.nio.channels.FileChannel.open(fresh, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
        return pair;
    }
}
