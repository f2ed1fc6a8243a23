package dev.shoal.platform.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.SecretKey;

/**
 * Key-encryption keys in a local file, one a line ({@code <id> <base64 of 32 bytes>}), the last line the current
 * one. The file must be readable by its owner alone (mode 600): a key others can read protects nothing. A data key is
 * wrapped with AES-256-GCM under the key, its context as associated data.
 */
public final class LocalKeyFile implements KeyEncryptionKey {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private final Map<String, SecretKey> keys;
    private final String current;

    private LocalKeyFile(Map<String, SecretKey> keys, String current) {
        this.keys = keys;
        this.current = current;
    }

    /**
     * The keys in {@code file}. When it does not exist and {@code mayCreate} (nothing was ever wrapped, so no key can
     * have been lost), a file with one new key is made first; otherwise a missing file is refused, since a new key
     * would leave every stored data key unreadable.
     */
    public static LocalKeyFile open(Path file, boolean mayCreate) throws IOException {
        if (!Files.exists(file)) {
            if (!mayCreate) {
                throw new IOException("the key-encryption key file " + file + " is missing, and data keys wrapped by"
                        + " it are stored: restore the file (its backup) rather than start without it");
            }
            create(file);
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IOException("the key-encryption key file " + file + " is readable by others ("
                    + PosixFilePermissions.toString(mode) + "): make it mode 600");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String current = null;
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 2) {
                throw new IOException(file + ": a line is '<id> <base64 key>'");
            }
            keys.put(parts[0], Aead.key(Base64.getDecoder().decode(parts[1])));
            current = parts[0];
        }
        if (current == null) {
            throw new IOException(file + " holds no key");
        }
        return new LocalKeyFile(Map.copyOf(keys), current);
    }

    private static void create(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        write(file, newLine());
    }

    private static String newLine() {
        byte[] id = new byte[4];
        new SecureRandom().nextBytes(id);
        return "kek-" + HexFormat.of().formatHex(id) + " "
                + Base64.getEncoder().encodeToString(Aead.newKey().getEncoded()) + "\n";
    }

    /**
     * Replaces the file's content at once (a new file, mode 600, on disk before it is moved over the old one, and the
     * move on disk before this returns): a reader sees the old or the new, and a crash loses neither.
     */
    private static void write(Path file, String content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(partial,
                java.nio.file.StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(file.toAbsolutePath().getParent(),
                java.nio.file.StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Runs a change of the file under an exclusive lock beside it, so two rotations never interleave. */
    private static <T> T locked(Path file, java.util.concurrent.Callable<T> change) throws IOException {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = channel.lock()) {
            return change.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * The first step of a rotation: a new key, last in the file, so it wraps from now on while the older ones still
     * unwrap what they wrapped. Answers the keys as they are now.
     */
    public static LocalKeyFile addKey(Path file) throws IOException {
        return locked(file, () -> {
            String kept = Files.readString(file, StandardCharsets.US_ASCII);
            write(file, (kept.isEmpty() || kept.endsWith("\n") ? kept : kept + "\n") + newLine());
            return open(file, false);
        });
    }

    /** The last step: once nothing is wrapped by an older key, only the current one is kept. */
    public LocalKeyFile retireAllButCurrent(Path file) throws IOException {
        return locked(file, () -> {
            LocalKeyFile now = open(file, false);
            if (!now.current.equals(current)) {
                throw new IOException(file + " has a newer current key than this one: another rotation ran meanwhile");
            }
            write(file, "# Shoal key-encryption key: keep this file (mode 600) and its backup apart from the database\n"
                    + current + " " + Base64.getEncoder().encodeToString(keys.get(current).getEncoded()) + "\n");
            return open(file, false);
        });
    }

    /** The ids of the keys the file holds. */
    public java.util.Set<String> ids() {
        return keys.keySet();
    }

    @Override
    public String currentId() {
        return current;
    }

    @Override
    public Wrapped wrap(byte[] dataKey, byte[] context) {
        Aead.Sealed sealed = Aead.seal(keys.get(current), dataKey, context);
        byte[] bytes = new byte[sealed.nonce().length + sealed.ciphertext().length];
        System.arraycopy(sealed.nonce(), 0, bytes, 0, sealed.nonce().length);
        System.arraycopy(sealed.ciphertext(), 0, bytes, sealed.nonce().length, sealed.ciphertext().length);
        return new Wrapped(current, bytes);
    }

    @Override
    public byte[] unwrap(Wrapped wrapped, byte[] context) throws GeneralSecurityException {
        SecretKey key = keys.get(wrapped.kekId());
        if (key == null) {
            throw new GeneralSecurityException("the key-encryption key " + wrapped.kekId() + " is not in the file");
        }
        if (wrapped.bytes().length < 12 + 16) {
            throw new GeneralSecurityException("a wrapped key is too short");
        }
        byte[] nonce = java.util.Arrays.copyOfRange(wrapped.bytes(), 0, 12);
        byte[] ciphertext = java.util.Arrays.copyOfRange(wrapped.bytes(), 12, wrapped.bytes().length);
        return Aead.open(key, new Aead.Sealed(nonce, ciphertext), context);
    }
}
