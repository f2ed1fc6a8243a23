package dev.shoal.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Moltbook's heartbeat, as its agents run it every 30 minutes: check their status, read {@code /home}, read the hot
 * feed (25), engage with a few of its posts (an upvote, sometimes a comment), rarely post. Heartbeats are offered at a
 * fixed rate (an open model: a slow answer does not slow the offer, and a heartbeat's first call is timed from when
 * it was due), so {@code rate × 1,800} is the number of agents a 30-minute heartbeat would make.
 *
 * <p>The activity follows Moltbook's published figures: 84% of posts in {@code general}, the rest spread over the
 * other submolts; post authors drawn from a power law (Zipf over a fixed ranking of the agents, exponent
 * {@link #AUTHOR_EXPONENT}: the number of posts per author then falls as about {@code k^-1.7}); about six comments per
 * post, 7% of them replies to an earlier comment (so most are never answered), a third exact duplicates of stock
 * phrases. Every draw comes from one seed, split per heartbeat in order, so two runs with the same seed offer the
 * same heartbeats.
 */
final class Heartbeat {
    /** Zipf exponent s for choosing an author: posts per author then follow k^-(1 + 1/s) = k^-1.7. */
    static final double AUTHOR_EXPONENT = 1 / 0.7;
    static final double VOTE = 0.9;
    static final double COMMENT = 0.3;
    static final double POST = 0.05;
    static final double GENERAL = 0.84;
    static final double REPLY = 0.07;
    static final double DUPLICATE = 1 / 3.0;
    static final List<String> CALLS = List.of("GET /agents/status", "GET /home", "GET /posts?sort=hot&limit=25",
            "POST /posts/{id}/upvote", "POST /posts/{id}/comments", "POST /posts");
    private static final List<String> STOCK = List.of("Great post!", "Interesting perspective.", "This.",
            "Thanks for sharing.", "I agree.", "Well said.", "Following.", "Fascinating.", "+1", "Love this.");
    /** Beyond this many heartbeats in flight the offer counts them as dropped instead of piling up threads. */
    private static final int MAX_IN_FLIGHT = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The agents (keys, and their names at the same index, in a fixed author ranking: index 0 posts most) and the
     * submolts, {@code general} first.
     */
    record Population(List<String> keys, List<String> names, List<String> submolts) {
    }

    /** One call's figures in a window. */
    record Call(String name, long ok, long failed, double p50Ms, double p99Ms, double maxMs) {
    }

    /** A window's figures: what was offered and done (until its last heartbeat ended), and each call's latency. */
    record Result(double offeredPerSecond, double seconds, double elapsedSeconds, long heartbeats, long dropped, List<Call> calls,
                  long[] postsByAuthor) {
        double worstP99() {
            return calls.stream().mapToDouble(Call::p99Ms).max().orElse(0);
        }

        long failed() {
            return calls.stream().mapToLong(Call::failed).sum() + dropped;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String gateway;
    private final Population population;
    private final double[] authorCdf;
    /** Comments this generator made, by slot, as "postId commentId": replies answer one of them. */
    private final AtomicReferenceArray<String> recentComments = new AtomicReferenceArray<>(4096);
    private final AtomicLong commentsMade = new AtomicLong();
    private final AtomicLong unique = new AtomicLong();

    Heartbeat(String gateway, Population population) {
        this.gateway = gateway;
        this.population = population;
        int n = population.keys().size();
        authorCdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.pow(i + 1, -AUTHOR_EXPONENT);
            authorCdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            authorCdf[i] /= sum;
        }
    }

    /** The author of the next post: an agent's index in the ranking, drawn from the power law. */
    int author(SplittableRandom random) {
        int at = Arrays.binarySearch(authorCdf, random.nextDouble());
        return Math.min(authorCdf.length - 1, at >= 0 ? at : -at - 1);
    }

    /** A new post's body in a submolt drawn as Moltbook's are (84% general). */
    String postBody(SplittableRandom random) {
        List<String> submolts = population.submolts();
        String submolt = random.nextDouble() < GENERAL || submolts.size() == 1 ? submolts.getFirst()
                : submolts.get(1 + random.nextInt(submolts.size() - 1));
        long n = unique.incrementAndGet();
        return "{\"submolt\":\"" + submolt + "\",\"title\":\"heartbeat thought " + n
                + "\",\"content\":\"what this agent noticed on its heartbeat, number " + n + "\"}";
    }

    /** Offers {@code rate} heartbeats a second for {@code duration}, and answers each call's figures. */
    Result run(double rate, Duration duration, long seed) throws InterruptedException {
        Map<String, long[]> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        for (String call : CALLS) {
            latencies.put(call, new long[1 << 20]);
            counts.put(call, new AtomicInteger());
            failures.put(call, new AtomicLong());
        }
        long[] postsByAuthor = new long[population.keys().size()];
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong dropped = new AtomicLong();
        AtomicLong started = new AtomicLong();
        SplittableRandom seeds = new SplittableRandom(seed);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (long i = 0; ; i++) {
            long due = start + i * interval;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            SplittableRandom random = seeds.split();
            if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
                inFlight.decrementAndGet();
                dropped.incrementAndGet();
                continue;
            }
            started.incrementAndGet();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    beat(random, due, (call, nanos, ok) -> {
                        if (!ok) {
                            failures.get(call).incrementAndGet();
                            return;
                        }
                        int at = counts.get(call).getAndIncrement();
                        long[] mine = latencies.get(call);
                        if (at < mine.length) {
                            mine[at] = nanos;
                        }
                    }, postsByAuthor);
                } finally {
                    inFlight.decrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Call> calls = new ArrayList<>();
        for (String call : CALLS) {
            int n = Math.min(counts.get(call).get(), latencies.get(call).length);
            long[] sorted = Arrays.copyOf(latencies.get(call), n);
            Arrays.sort(sorted);
            calls.add(new Call(call, n, failures.get(call).get(), ClosedLoop.ms(sorted, 0.50),
                    ClosedLoop.ms(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6));
        }
        return new Result(rate, duration.toNanos() / 1e9, (System.nanoTime() - start) / 1e9, started.get(),
                dropped.get(), calls, postsByAuthor);
    }

    interface Timing {
        void took(String call, long nanos, boolean ok);
    }

    /** One agent's heartbeat; its first call is timed from when it was due, the others from when they were sent. */
    private void beat(SplittableRandom random, long due, Timing timing, long[] postsByAuthor) {
        List<String> keys = population.keys();
        int agent = random.nextInt(keys.size());
        String key = keys.get(agent);
        send(CALLS.get(0), "GET", "/agents/status", key, null, due, timing);
        send(CALLS.get(1), "GET", "/home", key, null, System.nanoTime(), timing);
        JsonNode hot = send(CALLS.get(2), "GET", "/posts?sort=hot&limit=25", key, null, System.nanoTime(), timing);
        List<String> ids = new ArrayList<>();
        List<String> others = new ArrayList<>(); // an agent never upvotes its own post (that is a 400 SELF_VOTE)
        if (hot != null) {
            hot.path("data").forEach(p -> {
                ids.add(p.path("id").asText());
                if (!p.path("authorName").asText().equals(population.names().get(agent))) {
                    others.add(p.path("id").asText());
                }
            });
        }
        // Draw every choice up front, so what a heartbeat does never depends on how the server answered.
        boolean vote = random.nextDouble() < VOTE;
        boolean comment = random.nextDouble() < COMMENT;
        boolean post = random.nextDouble() < POST;
        int votePick = random.nextInt(25);
        int commentPick = random.nextInt(25);
        boolean reply = random.nextDouble() < REPLY;
        int replySlot = random.nextInt(recentComments.length());
        boolean duplicate = random.nextDouble() < DUPLICATE;
        int stock = random.nextInt(STOCK.size());
        int author = post ? author(random) : -1;
        String postBody = post ? postBody(random) : null;
        if (vote && !others.isEmpty()) {
            send(CALLS.get(3), "POST", "/posts/" + others.get(votePick % others.size()) + "/upvote", key, null,
                    System.nanoTime(), timing);
        }
        if (comment && !ids.isEmpty()) {
            String postId = ids.get(commentPick % ids.size());
            String parent = null;
            String earlier = reply ? recentComments.get(replySlot) : null;
            if (earlier != null) {
                postId = earlier.substring(0, earlier.indexOf(' '));
                parent = earlier.substring(earlier.indexOf(' ') + 1);
            }
            String text = duplicate ? STOCK.get(stock) : "a thought of its own, " + unique.incrementAndGet();
            JsonNode made = send(CALLS.get(4), "POST", "/posts/" + postId + "/comments", key, "{\"content\":\""
                    + text + "\"" + (parent == null ? "" : ",\"parent_id\":\"" + parent + "\"") + "}",
                    System.nanoTime(), timing);
            if (made != null) {
                int slot = (int) (commentsMade.getAndIncrement() % recentComments.length());
                recentComments.set(slot, postId + " " + made.at("/comment/id").asText());
            }
        }
        if (post) {
            if (send(CALLS.get(5), "POST", "/posts", keys.get(author), postBody, System.nanoTime(), timing) != null) {
                synchronized (postsByAuthor) {
                    postsByAuthor[author]++;
                }
            }
        }
    }

    private JsonNode send(String call, String method, String path, String key, String body, long from,
                          Timing timing) {
        try {
            HttpResponse<byte[]> r = http.send(ClosedLoop.request(gateway, method, path, key, body),
                    HttpResponse.BodyHandlers.ofByteArray());
            boolean ok = r.statusCode() / 100 == 2;
            timing.took(call, System.nanoTime() - from, ok);
            return ok ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            timing.took(call, System.nanoTime() - from, false);
            return null;
        }
    }

    /** The share of posts written by the most prolific {@code fraction} of the authors who posted. */
    static double shareOfTopAuthors(long[] postsByAuthor, double fraction) {
        long[] sorted = Arrays.stream(postsByAuthor).filter(n -> n > 0).sorted().toArray();
        long total = Arrays.stream(sorted).sum();
        int top = (int) Math.ceil(sorted.length * fraction);
        long theirs = 0;
        for (int i = sorted.length - top; i < sorted.length; i++) {
            theirs += sorted[i];
        }
        return total == 0 ? 0 : (double) theirs / total;
    }

    void close() {
        http.close();
    }
}
