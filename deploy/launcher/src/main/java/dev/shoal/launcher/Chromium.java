package dev.shoal.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's chromium and its chromedriver, for the browser tests: found under /usr/bin, or installed from the system
 * packages when missing and run as root (as PostgreSQL is). Nothing downloads a browser.
 */
public final class Chromium {
    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** The browser and driver, installing {@code chromium} and {@code chromium-driver} first where they are missing. */
    public static synchronized void ensureInstalled() {
        if (installed()) {
            return;
        }
        if (!Postgres.isRoot()) {
            throw new LaunchException("chromium is not installed; run: sudo apt-get install -y chromium chromium-driver");
        }
        List<String> install = List.of("apt-get", "install", "-y", "chromium", "chromium-driver");
        try {
            Processes.run(install, Duration.ofMinutes(10));
        } catch (LaunchException first) {
            Processes.run(List.of("apt-get", "update"), Duration.ofMinutes(10));
            Processes.run(install, Duration.ofMinutes(10));
        }
        if (!installed()) {
            throw new LaunchException("chromium or chromedriver is still missing under /usr/bin");
        }
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }
}
