package dev.shoal.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/** The stack's generated secrets, kept in one owner-only file under the state directory and made once. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path file;
    private final Properties values = new Properties();

    public Secrets(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                values.load(r);
            } catch (IOException e) {
                throw new LaunchException("cannot read " + file, e);
            }
        }
    }

    /** The secret of that name, generated (32 random bytes) and saved the first time it is asked for. */
    public synchronized String get(String name) {
        String v = values.getProperty(name);
        if (v == null) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            v = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            values.setProperty(name, v);
            save();
        }
        return v;
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (Writer w = Files.newBufferedWriter(file)) {
                values.store(w, "Shoal's local secrets: generated, never committed");
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + file, e);
        }
    }
}
