package dev.shoal.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stop-the-world pauses of each service, from the safepoint logs the benchmark has them write
 * ({@code -Xlog:safepoint:file=<dir>/safepoints-<service>.log}): every collector's pauses (and the JVM's other
 * safepoints) are logged alike, so collectors can be compared by what a request can wait for.
 */
final class Safepoints {
    /** Where the logs go, and the option that writes them ({@code %s}: the service's name, filled in by the launcher). */
    static String option(Path dir) {
        return "-Xlog:safepoint:file=" + dir.resolve("safepoints-%s.log") + "::filecount=0";
    }

    private static final Pattern TOTAL = Pattern.compile("Total: (\\d+) ns");

    /** A service's pauses in a window: how many, their sum and the longest. */
    record Pauses(int count, double totalMs, double maxMs) {
    }

    private Safepoints() {
    }

    /** How far each log is written now: a window's pauses are what is written after. */
    static Map<String, Long> marks(Path dir) throws IOException {
        Map<String, Long> sizes = new TreeMap<>();
        for (Path log : logs(dir)) {
            sizes.put(service(log), Files.size(log));
        }
        return sizes;
    }

    /** Each service's pauses since {@code marks}. */
    static Map<String, Pauses> since(Path dir, Map<String, Long> marks) throws IOException {
        Map<String, Pauses> out = new TreeMap<>();
        for (Path log : logs(dir)) {
            String service = service(log);
            long from = marks.getOrDefault(service, 0L);
            String text;
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                byte[] bytes = new byte[(int) Math.max(0, f.length() - from)];
                f.seek(from);
                f.readFully(bytes);
                text = new String(bytes, StandardCharsets.UTF_8);
            }
            int count = 0;
            double total = 0;
            double max = 0;
            Matcher m = TOTAL.matcher(text);
            while (m.find()) {
                double ms = Long.parseLong(m.group(1)) / 1e6;
                count++;
                total += ms;
                max = Math.max(max, ms);
            }
            out.put(service, new Pauses(count, total, max));
        }
        return out;
    }

    private static java.util.List<Path> logs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("safepoints-")).sorted().toList();
        }
    }

    private static String service(Path log) {
        String name = log.getFileName().toString();
        return name.substring("safepoints-".length(), name.length() - ".log".length());
    }
}
