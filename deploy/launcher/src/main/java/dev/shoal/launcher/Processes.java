package dev.shoal.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Starting, finding and stopping the processes the launcher owns. */
public final class Processes {
    /** Marks a JVM as started by Shoal's launcher, so {@code down} never stops anything else. */
    public static final String MARKER = "-Dshoal.process=";

    private Processes() {
    }

    private static final String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(f -> Files.isExecutable(Path.of(f))).findFirst().orElse(null);

    /** A process of ours (by its marker) whose command line names {@code arg}, such as its port: one left unrecorded. */
    public static Optional<ProcessHandle> oursWith(String name, String arg) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(h -> h.info().commandLine()
                .map(c -> c.contains(MARKER + name) && c.contains(arg)).orElse(false)).findFirst();
    }

    /**
     * The prefix that starts a process at a lower CPU priority ({@code nice -n 10}), or none when this user could not
     * raise it back again ({@link #serve}): only root may, and a serving instance left at a lower priority would lose
     * to the others.
     */
    static List<String> background() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root && Files.isExecutable(Path.of("/usr/bin/nice")) ? List.of("/usr/bin/nice", "-n", "10") : List.of();
    }

    /**
     * Back to the normal priority, every thread of it: an instance started by {@link #start} leads a process group of
     * its own, and renicing the group reaches each thread (Linux keeps a priority per thread).
     */
    static void serve(ProcessHandle p) {
        if (background().isEmpty() || !Files.isExecutable(Path.of("/usr/bin/renice"))) {
            return;
        }
        try {
            run(List.of("/usr/bin/renice", "-n", "0", "-g", String.valueOf(p.pid())), Duration.ofSeconds(10));
        } catch (LaunchException e) {
            System.err.println("could not restore the priority of pid " + p.pid() + ": " + e.getMessage());
        }
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static Process start(List<String> command, Path log, Path workDir) {
        return start(command, java.util.Map.of(), log, workDir);
    }

    /** Starts a process with extra environment (secrets go there, not on the command line other users can read). */
    public static Process start(List<String> command, java.util.Map<String, String> env, Path log, Path workDir) {
        try {
            Files.createDirectories(log.getParent());
            // In a session of its own: Ctrl-C on the command that started it (a deploy it outlives) does not reach it.
            List<String> detached = new java.util.ArrayList<>();
            if (SETSID != null) {
                detached.add(SETSID);
            }
            detached.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(detached).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            return pb.start();
        } catch (IOException e) {
            throw new LaunchException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command to its end; throws with its output when it fails. */
    public static String run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LaunchException(String.join(" ", command) + " did not finish in " + timeout);
            }
            String text = new String(out);
            if (p.exitValue() != 0) {
                throw new LaunchException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text.trim());
            }
            return text;
        } catch (IOException e) {
            throw new LaunchException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }

    /** The live process with this pid, only if it is the one Shoal started under this name. */
    public static Optional<ProcessHandle> ours(long pid, String name) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(MARKER + name)).orElse(false));
    }

    public static void stop(ProcessHandle h, Duration grace) {
        h.destroy();
        try {
            h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller's status
            }
        }
    }

    public static void await(String what, Duration timeout, Process process, Path log, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new LaunchException(what + " exited with " + process.exitValue() + "; see " + log
                        + tail(log));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for " + what, e);
            }
        }
        throw new LaunchException(what + " was not ready within " + timeout + "; see " + log + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
