package dev.shoal.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Built services copied aside, under {@code .shoal/builds/<service>/<digest>}: a running instance never runs from
 * {@code target/}, which the next build rewrites, and the build a deploy replaced stays there for a rollback. A copy
 * is named by the digest of its files, so the same build is copied once.
 */
final class Builds {
    private final Path root;

    Builds(Path stateDir) {
        this.root = stateDir.resolve("builds");
    }

    /** The copy of a built application directory ({@code quarkus-app}), made if it is not there yet. */
    Path copyOf(String service, Path app) {
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new LaunchException(service + " is not built (" + app + "); run ./mvnw -DskipTests install");
        }
        Path dir = root.resolve(service).resolve(digest(app));
        if (Files.isRegularFile(dir.resolve("quarkus-run.jar"))) {
            return dir;
        }
        Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
        try {
            deleteTree(partial);
            try (Stream<Path> files = Files.walk(app)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = partial.resolve(app.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            // Whole or not at all: a copy interrupted half-way is never taken for a build.
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LaunchException("cannot copy " + app + " to " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Removes a service's copies other than {@code keep}. */
    void prune(String service, Set<Path> keep) {
        Path dir = root.resolve(service);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> builds = Files.list(dir)) {
            for (Path b : builds.toList()) {
                if (keep.stream().noneMatch(k -> k != null && k.toAbsolutePath().normalize()
                        .equals(b.toAbsolutePath().normalize()))) {
                    deleteTree(b);
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot prune " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The short name the build in {@code app} has or would have once copied ({@link #id}), if it is built. */
    static Optional<String> idOfBuilt(Path app) {
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            return Optional.empty();
        }
        String d = digest(app);
        return Optional.of(d.substring(0, Math.min(12, d.length())));
    }

    /** A short name of a build: its digest's first characters. */
    static String id(Path build) {
        String n = build.getFileName().toString();
        return n.substring(0, Math.min(12, n.length()));
    }

    /** SHA-256 over every file's relative path and bytes, in path order. */
    private static String digest(Path app) {
        try (Stream<Path> walk = Files.walk(app)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            byte[] buf = new byte[1 << 16];
            for (Path f : files) {
                md.update(app.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
