package dev.shoal.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's root (where {@code services} and the root {@code pom.xml} are) from anywhere inside it. */
public final class ProjectRoot {
    private ProjectRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("shoal.root", System.getenv("SHOAL_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("services")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new LaunchException("cannot find Shoal's checkout above " + p + " (set SHOAL_ROOT)");
    }
}
