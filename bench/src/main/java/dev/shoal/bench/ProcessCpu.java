package dev.shoal.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.shoal.launcher.Processes;

/**
 * CPU time by process, from {@code /proc}: each Shoal process by its launcher marker ({@code -Dshoal.process=}),
 * PostgreSQL's processes together, and this load generator; so a benchmark can say where a request's CPU went.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on
    private static final String ME = String.valueOf(ProcessHandle.current().pid());

    private ProcessCpu() {
    }

    /** CPU seconds (user + system) used so far, by process name. */
    static Map<String, Double> sample() {
        Map<String, Double> seconds = new TreeMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String name = nameOf(p);
                    if (name != null) {
                        String stat = Files.readString(p.resolve("stat"));
                        // Fields after the command in parentheses (which may hold spaces): utime is the 14th, stime 15th.
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        double used = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                        seconds.merge(name, used, Double::sum);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended between the listing and the read
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return seconds;
    }

    /** What each process used between two samples (a process that ended in between is left out). */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new TreeMap<>();
        after.forEach((name, s) -> used.put(name, Math.max(0, s - before.getOrDefault(name, 0.0))));
        return used;
    }

    private static String nameOf(Path proc) throws IOException {
        if (proc.getFileName().toString().equals(ME)) {
            return "load generator";
        }
        String comm = Files.readString(proc.resolve("comm")).strip();
        if (comm.equals("postgres")) {
            return "postgres";
        }
        String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
        int at = cmdline.indexOf(Processes.MARKER);
        if (at < 0) {
            return null;
        }
        int end = cmdline.indexOf('\0', at);
        return cmdline.substring(at + Processes.MARKER.length(), end < 0 ? cmdline.length() : end);
    }
}
