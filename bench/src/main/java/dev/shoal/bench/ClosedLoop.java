package dev.shoal.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The closed model, as {@code wrk} runs it: a fixed number of connections, each sending its next request as soon as
 * the last one is answered, for a fixed time. It measures what the server sustains at that concurrency (Gatling's
 * open model, beside it, measures latency at an offered rate). The connections are virtual threads sharing one
 * client, whose pool keeps one keep-alive connection per request in flight, so the generator itself costs little
 * CPU; every answer's latency is kept, so percentiles are exact.
 */
final class ClosedLoop {
    /** What one connection sends next, drawn from its own random source. */
    interface Call extends Function<SplittableRandom, HttpRequest> {
    }

    /** The figures of one window: answers per second, how many were not the expected status, latency percentiles. */
    record Result(String name, int connections, double seconds, long ok, long failed, double perSecond,
                  double p50Ms, double p99Ms, double maxMs) {
        String label() {
            return String.format("%s on %d connections for %.0f s", name, connections, seconds);
        }

        String figures() {
            return String.format("%,.0f req/s (%,d OK, %,d failed); p50 %.1f ms, p99 %.1f ms, max %.0f ms", perSecond,
                    ok, failed, p50Ms, p99Ms, maxMs);
        }
    }

    private ClosedLoop() {
    }

    /**
     * Runs {@code calls.size()} connections (connection i sends {@code calls.get(i)}, reported under
     * {@code names.get(i)}: a mixed load gives some connections reads and others writes) for {@code duration}; a
     * caller warms up with a run of its own. An answer that is not 2xx (or no answer) counts as failed.
     */
    static List<Result> run(List<String> names, List<Call> calls, Duration duration) throws InterruptedException {
        int n = calls.size();
        long[][] latencies = new long[n][];
        int[] counts = new int[n];
        long[] failures = new long[n];
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(n);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int c = 0; c < n; c++) {
            int conn = c;
            Thread.ofVirtual().name("closed-" + c).start(() -> {
                try {
                    SplittableRandom random = new SplittableRandom(1000 + conn);
                    long[] mine = new long[1 << 16];
                    int count = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        int status;
                        try {
                            status = http.send(calls.get(conn).apply(random), HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        long t1 = System.nanoTime();
                        if (status / 100 != 2) {
                            failures[conn]++;
                            continue;
                        }
                        if (count == mine.length) {
                            mine = Arrays.copyOf(mine, mine.length * 2);
                        }
                        mine[count++] = t1 - t0;
                    }
                    latencies[conn] = mine;
                    counts[conn] = count;
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        http.close();
        double seconds = duration.toNanos() / 1e9;
        List<Result> results = new ArrayList<>();
        // Connections that share a name are one workload (a mixed load reports its reads and its writes apart).
        for (String name : names.stream().distinct().toList()) {
            long total = 0;
            long failed = 0;
            int conns = 0;
            for (int c = 0; c < n; c++) {
                if (names.get(c).equals(name)) {
                    total += counts[c];
                    failed += failures[c];
                    conns++;
                }
            }
            long[] all = new long[(int) total];
            int at = 0;
            for (int c = 0; c < n; c++) {
                if (names.get(c).equals(name)) {
                    System.arraycopy(latencies[c], 0, all, at, counts[c]);
                    at += counts[c];
                }
            }
            Arrays.sort(all);
            results.add(new Result(name, conns, seconds, total, failed, total / seconds, ms(all, 0.50), ms(all, 0.99),
                    all.length == 0 ? 0 : all[all.length - 1] / 1e6));
        }
        return results;
    }

    /** The q-quantile of sorted nanoseconds, in milliseconds (0 when there are none). */
    static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** A request to the gateway's agent API as one of the agents. */
    static HttpRequest request(String gateway, String method, String path, String key, String body) {
        return HttpRequest.newBuilder(URI.create(gateway + "/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key).build();
    }
}
