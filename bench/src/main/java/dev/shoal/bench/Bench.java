package dev.shoal.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.launcher.Ports;
import dev.shoal.launcher.ProjectRoot;
import dev.shoal.launcher.Stack;

/**
 * Shoal's benchmarks, on one machine with the whole stack running: the write path through the gateway (throughput
 * and the lag until a post is visible), hot feed reads on a submolt of 100,000 posts, and a replay of feed-service
 * from a log of at least a million events. It starts its own stack (durable PostgreSQL, limits lifted so the load
 * generator is not throttled) in a temporary directory and stops it at the end.
 *
 * <p>Run: {@code ./mvnw -Pbench -DskipTests install && ./mvnw -Pbench -pl bench exec:exec}; choose and tune with
 * {@code -Dbench.args="reads readRate=3000 seconds=60"} (names: write, closed, heartbeat, reads, replay, restore,
 * deploy, audit; settings: writeRate, readRate, seconds, feedPosts, replayEvents, restoreEvents, deployEvents,
 * auditEvents, verifyRuns, hold (true: keep the stack up afterwards, to profile against it), for closed:
 * closed (its workloads), connections, closedPosts, warmup (unmeasured seconds before each window), pgstat (true:
 * PostgreSQL's statements in the window), for heartbeat: heartbeatRate, heartbeatAgents, heartbeatPosts, seed, warmup
 * (seconds more after the ramp, 300 by default), pgstat (per heartbeat); post.&lt;key&gt; sets post-service's key; gc (parallel, g1, zgc) and jfr (true: a
 * profile each) for every service).
 */
public final class Bench {
    static final String BENCH_SUBMOLT = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path root;
    private final Path work;
    private final Stack stack;
    private final List<String> report = new ArrayList<>();
    private List<String> keys;
    private UUID author;
    private UUID benchSubmolt;

    private Bench(Path root, Path work, Stack stack) {
        this.root = root;
        this.work = work;
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        List<String> which = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                System.setProperty("bench." + arg.substring(0, eq), arg.substring(eq + 1));
            } else {
                which.add(arg);
            }
        }
        if (which.isEmpty()) {
            which = List.of("write", "reads", "replay");
        }
        Path root = ProjectRoot.find();
        Path work = Files.createTempDirectory("shoal-bench-");
        // Every service logs its safepoints (each pause, whatever the collector); gc=parallel|g1|zgc picks the collector.
        Files.createDirectories(work.resolve("logs"));
        String collector = switch (System.getProperty("bench.gc", "default")) {
            case "default" -> "";
            case "parallel" -> " -XX:+UseParallelGC";
            case "g1" -> " -XX:+UseG1GC";
            case "zgc" -> " -XX:+UseZGC";
            default -> throw new IllegalArgumentException("gc must be default, parallel, g1 or zgc");
        };
        // jfr=true: each service records a CPU profile to bench/target/logs/<service>.jfr (read with `jfr print`);
        // deep stacks, since a reactive call chain is far deeper than JFR's default of 64 frames.
        String profile = Boolean.getBoolean("bench.jfr") ? " -XX:FlightRecorderOptions:stackdepth=512"
                + " -XX:StartFlightRecording=filename="
                + work.resolve("logs").resolve("%s.jfr") + ",settings=profile,dumponexit=true" : "";
        System.setProperty("shoal.services.java-options", Safepoints.option(work.resolve("logs")) + collector
                + profile);
        if (StatementStats.enabled()) {
            System.setProperty("shoal.postgres.options", StatementStats.SERVER_OPTIONS);
        }
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> postLimits = new HashMap<>(Map.of("shoal.limits.post-cooldown", "PT0S",
                "shoal.limits.new-agent-post-cooldown", "PT0S", "shoal.limits.comment-cooldown", "PT0S",
                "shoal.limits.new-agent-comment-cooldown", "PT0S", "shoal.limits.comments-per-day", "100000000",
                "shoal.limits.new-agent-comments-per-day", "100000000"));
        // post.<key>=<value> on the command line sets post-service's <key> (to compare its settings).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.post."))
                .forEach(k -> postLimits.put(k.substring("bench.post.".length()), System.getProperty(k)));
        Map<String, String> moderation = new HashMap<>(which.contains("moderation")
                ? Map.of("shoal.moderation.flood", "0", "shoal.moderation.challenges.new-agent-rate", "0")
                : Map.of("shoal.moderation.flood", "0", "shoal.moderation.vote-ring.votes", "0",
                        "shoal.moderation.challenges.new-agent-rate", "0"));
        if (which.contains("heartbeat")) {
            // The heartbeat's posts and stock comments differ only in their numbers, which moderation's fingerprint
            // ignores, so each would count as cross-posted once in three submolts and its author be suspended: the
            // rule is still evaluated for every post and comment, but needs more submolts than the ten there are.
            moderation.put("shoal.moderation.duplicate-submolts", "11");
        }
        // moderation.<key>=<value> on the command line sets moderation-service's <key> (e.g. to turn a watch off).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.moderation."))
                .forEach(k -> moderation.put(k.substring("bench.moderation.".length()), System.getProperty(k)));
        Stack.Settings settings = new Stack.Settings(root, work, Ports.free(), Ports.free(), Ports.freeWithTwin(),
                Ports.freeWithTwin(), Ports.freeWithTwin(), Ports.freeWithTwin(), Ports.freeWithTwin(), Ports.free(),
                Ports.free(), Ports.free(), "127.0.0.1", true,
                Map.of(Stack.GATEWAY, Map.of("shoal.rate-limit.per-key.requests", "1000000000",
                        "shoal.rate-limit.registrations.requests", "1000000"), Stack.POST, postLimits,
                        // the load's new agents write without cooldowns, which the flooding rule would (rightly) stop
                        // and the rule on new agents writing fast would challenge, and
                        // upvotes the few hot posts of a few prolific authors, which can look like a vote ring (the
                        // moderation benchmark keeps the ring rule: its upvotes all go to one author, no ring)
                        Stack.MODERATION, moderation,
                        // the load's agents are minutes old; Moltbook's 24 hours before DMs is not what is measured
                        Stack.IDENTITY, Map.of("shoal.limits.dm-min-agent-age", "PT0S")),
                false, Ports.free(), Ports.free()); // no Keycloak: the benchmarks measure agents and anonymous pages
        Stack stack = new Stack(settings);
        Bench bench = new Bench(root, work, stack);
        try {
            stack.up(System.out);
            bench.prepare();
            if (which.contains("write")) {
                bench.writePath(rates("bench.writeRate", "2000"), Integer.getInteger("bench.seconds", 30));
            }
            if (which.contains("closed")) {
                bench.closedLoop(List.of(System.getProperty("bench.closed", "hot,post,upvote,comment,mixed").split(",")),
                        Integer.getInteger("bench.connections", 32), Integer.getInteger("bench.seconds", 20),
                        Integer.getInteger("bench.closedPosts", 2000));
            }
            if (which.contains("moderation")) {
                bench.moderationLag(Integer.getInteger("bench.connections", 16), Integer.getInteger("bench.seconds", 30),
                        Integer.getInteger("bench.probesPerSecond", 4));
            }
            if (which.contains("dm")) {
                bench.directMessages(Integer.getInteger("bench.connections", 16), Integer.getInteger("bench.seconds", 30),
                        Integer.getInteger("bench.conversations", 100));
            }
            if (which.contains("heartbeat")) {
                bench.heartbeat(Integer.getInteger("bench.heartbeatAgents", 1000),
                        Integer.getInteger("bench.heartbeatPosts", 1000),
                        rates("bench.heartbeatRate", "10,20,30,40,50"), Integer.getInteger("bench.seconds", 20), Long.getLong("bench.seed", 1700));
            }
            if (which.contains("reads")) {
                bench.hotFeedReads(Integer.getInteger("bench.feedPosts", 100_000), rates("bench.readRate", "3000"),
                        Integer.getInteger("bench.seconds", 30));
            }
            if (which.contains("pages")) {
                bench.frontPages(Integer.getInteger("bench.feedPosts", 10_000), rates("bench.pageRate", "500"),
                        Integer.getInteger("bench.seconds", 30));
            }
            if (which.contains("replay")) {
                bench.replay(Integer.getInteger("bench.replayEvents", 1_000_000));
            }
            if (which.contains("deploy")) {
                bench.deploy(Integer.getInteger("bench.deployEvents", 1_000_000),
                        Integer.getInteger("bench.readRate", 300), Integer.getInteger("bench.writeRate", 200),
                        Integer.getInteger("bench.seconds", 90));
            }
            if (which.contains("audit")) {
                bench.audit(Integer.getInteger("bench.auditEvents", 300_000));
            }
            if (which.contains("restore")) {
                bench.restore(Integer.getInteger("bench.restoreEvents", 1_000_000));
            }
            bench.writeReport(root, args);
        } finally {
            stack.down(System.out);
            keepLogs(work.resolve("logs"), root.resolve("bench/target/logs"));
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    /** The services' logs of the last run, kept under bench/target/logs (the stack's directory is removed). */
    private static void keepLogs(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.createDirectories(to);
        try (Stream<Path> logs = Files.list(from)) {
            for (Path log : logs.toList()) {
                Files.copy(log, to.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Agents to send load as, and the submolt the read benchmark fills. */
    private void prepare() throws Exception {
        keys = register("bench", 200, new ArrayList<>());
        Files.write(work.resolve("keys.txt"), keys);
        JsonNode created = call("POST", "/submolts", keys.get(0), "{\"name\":\"" + BENCH_SUBMOLT + "\"}");
        benchSubmolt = UUID.fromString(created.at("/submolt/id").asText());
        author = UUID.fromString(call("GET", "/agents/me", keys.get(0), null).at("/agent/id").asText());
    }

    /** Registers {@code count} agents named {@code prefix_i_xxxx} (the names go into {@code names}); answers their keys. */
    private List<String> register(String prefix, int count, List<String> names) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> registered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "_" + i + "_" + UUID.randomUUID().toString().substring(0, 4);
            names.add(name);
            registered.add(pool.submit(() -> call("POST", "/agents/register", null,
                    "{\"name\":\"" + name + "\"}").at("/agent/api_key").asText()));
        }
        List<String> keys = new ArrayList<>();
        for (Future<String> f : registered) {
            keys.add(f.get());
        }
        pool.shutdown();
        return keys;
    }

    /** A comma list of rates from a system property: each is offered in turn. */
    private static List<Integer> rates(String property, String fallback) {
        return Stream.of(System.getProperty(property, fallback).split(",")).map(String::trim).map(Integer::valueOf)
                .toList();
    }

    /** Offers each write rate in turn, on a pool of posts made once. */
    private void writePath(List<Integer> rates, int seconds) throws Exception {
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            pool.add(call("POST", "/posts", keys.get(0),
                    "{\"submolt\":\"general\",\"title\":\"pool " + i + "\",\"content\":\"votes land here\"}")
                    .at("/post/id").asText());
        }
        Files.write(work.resolve("posts.txt"), pool);
        for (int rate : rates) {
            writePath(rate, seconds);
        }
    }

    private void writePath(int rate, int seconds) throws Exception {
        LagProbe probe = new LagProbe(keys.get(keys.size() - 1));
        Thread t = new Thread(probe, "lag-probe");
        t.setDaemon(true);
        t.start();
        JsonNode stats;
        try {
            stats = gatling(WritePath.class, rate, seconds, work.resolve("posts.txt"));
        } finally {
            probe.stop();
            t.join(10_000);
        }
        List<Long> lags = probe.lags();
        report.add(String.format("| write path (20%% posts, 30%% comments, 50%% votes) at %,d/s offered for %d s |"
                        + " %,.0f req/s OK (%,d OK, %,d KO); response p50 %d ms, p99 %d ms; visible lag of a post"
                        + " (%d samples) p50 %d ms, p99 %d ms | ≥ 2,000 events/s, visible lag p99 ≤ 200 ms |",
                rate, seconds, stats.at("/meanNumberOfRequestsPerSecond/ok").asDouble(),
                stats.at("/numberOfRequests/ok").asLong(), stats.at("/numberOfRequests/ko").asLong(),
                stats.at("/percentiles1/ok").asLong(), stats.at("/percentiles4/ok").asLong(), lags.size(),
                percentile(lags, 50), percentile(lags, 99)));
    }

    /**
     * The closed model ({@link ClosedLoop}): posts made through the gateway in the bench submolt by one agent, then each
     * workload on {@code connections} connections for {@code seconds} (after {@code warmup} s unmeasured, 5 by
     * default): {@code hot} (the submolt's hot feed, 25), {@code post} (one post by id), {@code upvote} and
     * {@code comment} (on random posts, by the other agents), {@code mixed} (half the connections hot reads, half
     * upvotes). During writes a probe times a new post until it is readable.
     */
    private void closedLoop(List<String> workloads, int connections, int seconds, int posts) throws Exception {
        List<String> ids = seedPosts(posts, "closed");
        String g = stack.gatewayUrl();
        ClosedLoop.Call hot = r -> ClosedLoop.request(g, "GET", "/submolts/" + BENCH_SUBMOLT + "/feed?sort=hot&limit=25",
                keys.get(r.nextInt(keys.size())), null);
        ClosedLoop.Call one = r -> ClosedLoop.request(g, "GET", "/posts/" + ids.get(r.nextInt(ids.size())),
                keys.get(r.nextInt(keys.size())), null);
        ClosedLoop.Call upvote = r -> ClosedLoop.request(g, "POST", "/posts/" + ids.get(r.nextInt(ids.size()))
                + "/upvote", keys.get(1 + r.nextInt(keys.size() - 1)), null);
        ClosedLoop.Call comment = r -> ClosedLoop.request(g, "POST", "/posts/" + ids.get(r.nextInt(ids.size()))
                + "/comments", keys.get(1 + r.nextInt(keys.size() - 1)), "{\"content\":\"closed loop " + r.nextInt()
                + "\"}");
        for (String workload : workloads) {
            List<String> names = new ArrayList<>();
            List<ClosedLoop.Call> calls = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                ClosedLoop.Call call = switch (workload.trim()) {
                    case "hot" -> hot;
                    case "post" -> one;
                    case "upvote" -> upvote;
                    case "comment" -> comment;
                    case "mixed" -> c % 2 == 0 ? hot : upvote;
                    default -> throw new IllegalArgumentException("closed workloads: hot, post, upvote, comment, mixed");
                };
                names.add(call == hot ? "hot feed reads" : call == one ? "one post by id" : call == upvote
                        ? "upvotes on random posts" : "comments on random posts");
                calls.add(call);
            }
            boolean writes = calls.contains(upvote) || calls.contains(comment);
            LagProbe probe = new LagProbe(keys.get(keys.size() - 1));
            Thread t = new Thread(probe, "lag-probe");
            t.setDaemon(true);
            if (writes) {
                t.start();
            }
            // Warm-up, not counted: 5 s by default; longer (warmup=) lets the services' JIT finish compiling the path.
            ClosedLoop.run(names, calls, Duration.ofSeconds(Integer.getInteger("bench.warmup", 5)));
            if (StatementStats.enabled()) {
                StatementStats.reset(stack);
            }
            Map<String, Double> cpuBefore = ProcessCpu.sample();
            Map<String, Long> pausesBefore = Safepoints.marks(work.resolve("logs"));
            List<ClosedLoop.Result> results = ClosedLoop.run(names, calls, Duration.ofSeconds(seconds));
            Map<String, Double> cpu = ProcessCpu.between(cpuBefore, ProcessCpu.sample());
            Map<String, Safepoints.Pauses> pauses = Safepoints.since(work.resolve("logs"), pausesBefore);
            long feedBehind = stack.projectionLag(Stack.FEED);
            probe.stop();
            if (writes) {
                t.join(10_000);
            }
            List<Long> lags = probe.lags();
            for (ClosedLoop.Result result : results) {
                String target = result.name().startsWith("upvotes") || result.name().startsWith("comments")
                        ? "≥ 4,500 req/s at p99 ≤ 50 ms" : "p99 ≤ 10 ms";
                report.add("| closed loop (" + workload.trim() + "): " + result.label() + " | " + result.figures()
                        + (writes ? String.format("; a new post visible p50 %d ms, p99 %d ms (%d samples);"
                        + " feed-service %,d events behind at the end", percentile(lags, 50), percentile(lags, 99),
                        lags.size(), feedBehind) : "") + " | " + target + " |");
                System.out.println(result.label() + ": " + result.figures());
            }
            long answered = results.stream().mapToLong(ClosedLoop.Result::ok).sum();
            if (StatementStats.enabled()) {
                StatementStats.top(stack, answered, "answered request", 25).forEach(System.out::println);
            }
            StringBuilder where = new StringBuilder();
            double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
            cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e ->
                    where.append(String.format("%s%s %.2f ms", where.isEmpty() ? "" : ", ", e.getKey(),
                            e.getValue() * 1000 / Math.max(1, answered))));
            report.add(String.format("| closed loop (%s): CPU per answered request, by process | %.2f ms in all (%.0f%%"
                    + " of the 2 cores): %s | |", workload.trim(), total * 1000 / Math.max(1, answered),
                    100 * total / seconds / Runtime.getRuntime().availableProcessors(), where));
            System.out.println(report.getLast());
            StringBuilder stops = new StringBuilder();
            pauses.forEach((service, p) -> stops.append(String.format("%s%s %d (%.0f ms, longest %.1f ms)",
                    stops.isEmpty() ? "" : ", ", service, p.count(), p.totalMs(), p.maxMs())));
            report.add(String.format("| closed loop (%s): stop-the-world pauses by service (%s) | %s | |",
                    workload.trim(), System.getProperty("bench.gc", "default collector"), stops));
            System.out.println(report.getLast());
        }
    }

    /**
     * Private messages through the gateway: {@code conversations} pairs of agents ask, approve and then, on
     * {@code connections} closed-loop connections, half send a 200-character message in a random conversation (from
     * a random side) and half read one (its newest 100 messages, opened, marked read). The cost of encryption is
     * measured apart, in identity-service itself: its {@code shoal.dm.seal} timer (the data key's lookup and AES-GCM)
     * against its own time for the send calls (Quarkus' {@code http.server.requests}), both from {@code /q/metrics}
     * over the window.
     */
    private void directMessages(int connections, int seconds, int pairs) throws Exception {
        if (keys.size() < 2 * pairs) {
            throw new IllegalStateException("dm needs " + 2 * pairs + " agents; there are " + keys.size());
        }
        List<String[]> conversations = new ArrayList<>(); // {id, asker's key, asked's key}
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String asked = call("GET", "/agents/me", keys.get(2 * i + 1), null).at("/agent/name").asText();
            JsonNode r = call("POST", "/agents/dm/request", keys.get(2 * i), "{\"to\":\"" + asked
                    + "\",\"message\":\"Shall we talk about the benchmark?\"}");
            String id = r.path("conversation_id").asText();
            call("POST", "/agents/dm/requests/" + id + "/approve", keys.get(2 * i + 1), null);
            conversations.add(new String[] {id, keys.get(2 * i), keys.get(2 * i + 1)});
        }
        String g = stack.gatewayUrl();
        String text = "x".repeat(160) + " bench message, forty characters long.";
        ClosedLoop.Call send = r -> {
            String[] c = conversations.get(r.nextInt(conversations.size()));
            return ClosedLoop.request(g, "POST", "/agents/dm/conversations/" + c[0] + "/send", c[1 + r.nextInt(2)],
                    "{\"message\":\"" + text + "\"}");
        };
        ClosedLoop.Call read = r -> {
            String[] c = conversations.get(r.nextInt(conversations.size()));
            return ClosedLoop.request(g, "GET", "/agents/dm/conversations/" + c[0], c[1 + r.nextInt(2)], null);
        };
        List<ClosedLoop.Call> calls = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            names.add(c % 2 == 0 ? "DM sends" : "DM reads");
            calls.add(c % 2 == 0 ? send : read);
        }
        ClosedLoop.run(names, calls, Duration.ofSeconds(5)); // warm-up, not counted
        String identity = stack.url(stack.service(Stack.IDENTITY));
        Map<String, Double> before = sealMetrics(identity);
        Map<String, Double> cpuBefore = ProcessCpu.sample();
        List<ClosedLoop.Result> results = ClosedLoop.run(names, calls, Duration.ofSeconds(seconds));
        Map<String, Double> cpu = ProcessCpu.between(cpuBefore, ProcessCpu.sample());
        Map<String, Double> after = sealMetrics(identity);
        for (ClosedLoop.Result result : results) {
            report.add("| direct messages, closed loop: " + result.label() + " | " + result.figures() + " | |");
            System.out.println(report.getLast());
        }
        double seals = after.get("seal_count") - before.get("seal_count");
        double sealMs = (after.get("seal_sum") - before.get("seal_sum")) * 1000;
        double sends = after.get("send_count") - before.get("send_count");
        double sendMs = (after.get("send_sum") - before.get("send_sum")) * 1000;
        report.add(String.format("| direct messages: encryption's share of the send path (identity-service's own time)"
                        + " | sealing %.3f ms a message (%,.0f sealed: key lookup and AES-256-GCM) of %.2f ms a send"
                        + " (%,.0f sends): %.2f%% | < 5%% |", seals == 0 ? 0 : sealMs / seals, seals,
                sends == 0 ? 0 : sendMs / sends, sends, sendMs == 0 ? 0 : 100 * sealMs / sendMs));
        System.out.println(report.getLast());
        long answered = results.stream().mapToLong(ClosedLoop.Result::ok).sum();
        StringBuilder where = new StringBuilder();
        cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e ->
                where.append(String.format("%s%s %.2f ms", where.isEmpty() ? "" : ", ", e.getKey(),
                        e.getValue() * 1000 / Math.max(1, answered))));
        report.add("| direct messages: CPU per answered request, by process | " + where + " | |");
        System.out.println(report.getLast());
    }

    /** identity-service's seal timer and its send calls' server time, as {@code /q/metrics} has them now. */
    private Map<String, Double> sealMetrics(String identity) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create(identity + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> m = new HashMap<>(Map.of("seal_count", 0.0, "seal_sum", 0.0, "send_count", 0.0,
                "send_sum", 0.0));
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ");
            double v;
            try {
                v = Double.parseDouble(parts[parts.length - 1]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (line.startsWith("shoal_dm_seal_seconds_count")) {
                m.merge("seal_count", v, Double::sum);
            } else if (line.startsWith("shoal_dm_seal_seconds_sum")) {
                m.merge("seal_sum", v, Double::sum);
            } else if (line.startsWith("http_server_requests_seconds_count") && line.contains("/send\"")) {
                m.merge("send_count", v, Double::sum);
            } else if (line.startsWith("http_server_requests_seconds_sum") && line.contains("/send\"")) {
                m.merge("send_sum", v, Double::sum);
            }
        }
        return m;
    }

    /**
     * The moderation pipeline under the write load: {@code connections} closed-loop connections send comments and
     * upvotes on 2,000 posts as fast as the stack answers them, while probe agents (one comment each, so none earns a
     * strike's suspension) post, {@code probesPerSecond} a second, a crypto shill in a submolt that does not allow it.
     * The lag of each is the time from the comment's creation (its event's time, in post-service) to the decision
     * that hid it (the decision's time, in moderation-service), read from moderation-service's own table afterwards:
     * both clocks are this machine's. Target: p99 ≤ 500 ms at the write rate sustained.
     */
    private void moderationLag(int connections, int seconds, int probesPerSecond) throws Exception {
        List<String> ids = seedPosts(2000, "moderated");
        String g = stack.gatewayUrl();
        ClosedLoop.Call upvote = r -> ClosedLoop.request(g, "POST", "/posts/" + ids.get(r.nextInt(ids.size()))
                + "/upvote", keys.get(1 + r.nextInt(keys.size() - 1)), null);
        ClosedLoop.Call comment = r -> ClosedLoop.request(g, "POST", "/posts/" + ids.get(r.nextInt(ids.size()))
                + "/comments", keys.get(1 + r.nextInt(keys.size() - 1)), "{\"content\":\"an honest comment " + r.nextInt()
                + "\"}");
        List<String> names = new ArrayList<>();
        List<ClosedLoop.Call> calls = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            calls.add(c % 2 == 0 ? comment : upvote);
            names.add(c % 2 == 0 ? "comments on random posts" : "upvotes on random posts");
        }
        List<String> probes = register("probe", probesPerSecond * (seconds + 5) + 1, new ArrayList<>());
        // Moderation assesses every seeded post too: the window starts once it has caught up with them (a probe of
        // its own, after the seeds, is decided), and that catching up says how fast it assesses a backlog.
        long seeded = System.nanoTime();
        String marker = call("POST", "/posts/" + ids.getLast() + "/comments", probes.removeLast(),
                "{\"content\":\"Buy $REEF before the pump, 100x, presale now\"}").at("/comment/id").asText();
        try (java.sql.Connection c = stack.superuser(Stack.MODERATION);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM decision WHERE target_id = ?")) {
            ps.setObject(1, UUID.fromString(marker));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
        }
        double caughtUp = (System.nanoTime() - seeded) / 1e9;
        report.add(String.format("| moderation catching up with %,d seeded posts (assessed after they were answered) |"
                + " %.1f s after the last was answered | |", ids.size(), caughtUp));
        System.out.println(report.getLast());
        ClosedLoop.run(names, calls, Duration.ofSeconds(5)); // warm-up, not counted
        List<String[]> probed = Collections.synchronizedList(new ArrayList<>()); // comment id, its creation time
        java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread prober = Thread.ofVirtual().name("moderation-probe").start(() -> {
            int next = 0;
            long period = 1_000_000_000L / probesPerSecond;
            long due = System.nanoTime();
            while (probing.get() && next < probes.size()) {
                try {
                    JsonNode c = call("POST", "/posts/" + ids.get(next % ids.size()) + "/comments", probes.get(next),
                            "{\"content\":\"Buy $REEF before the pump, 100x, presale now\"}");
                    probed.add(new String[] {c.at("/comment/id").asText(), c.at("/comment/createdAt").asText()});
                } catch (Exception e) {
                    System.out.println("probe " + next + " failed: " + e.getMessage());
                }
                next++;
                due += period;
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
            }
        });
        Map<String, Double> cpuBefore = ProcessCpu.sample();
        List<ClosedLoop.Result> results = ClosedLoop.run(names, calls, Duration.ofSeconds(seconds));
        Map<String, Double> cpu = ProcessCpu.between(cpuBefore, ProcessCpu.sample());
        probing.set(false);
        prober.join(10_000);
        Thread.sleep(5_000); // the last probes' decisions
        List<Long> lags = new ArrayList<>();
        int undecided = 0;
        try (java.sql.Connection c = stack.superuser(Stack.MODERATION);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT decided_at FROM decision WHERE target_id = ?"
                     + " AND kind = 'content-hidden' AND rule = 'crypto-promotion'")) {
            for (String[] p : probed) {
                ps.setObject(1, UUID.fromString(p[0]));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        lags.add(Duration.between(java.time.Instant.parse(p[1]), rs.getTimestamp(1).toInstant())
                                .toMillis());
                    } else {
                        undecided++;
                    }
                }
            }
            try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                    "SELECT coalesce(rule, moderator), count(*) FROM decision GROUP BY 1 ORDER BY 1")) {
                StringBuilder rules = new StringBuilder();
                while (rs.next()) {
                    rules.append(rs.getString(1)).append(' ').append(rs.getLong(2)).append("; ");
                }
                System.out.println("decisions by rule: " + rules);
            }
        }
        for (ClosedLoop.Result result : results) {
            report.add("| moderation under load: " + result.label() + " | " + result.figures() + " | |");
            System.out.println(report.getLast());
        }
        double writes = results.stream().mapToDouble(ClosedLoop.Result::perSecond).sum();
        double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder where = new StringBuilder();
        cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e ->
                where.append(String.format("%s%s %.0f%%", where.isEmpty() ? "" : ", ", e.getKey(),
                        100 * e.getValue() / seconds / Runtime.getRuntime().availableProcessors())));
        report.add(String.format("| moderation decisions' lag behind the content, at %,.0f writes/s | p50 %d ms, p99 %d"
                + " ms, max %d ms (%d probes, %d not decided); the cores: %s | p99 ≤ 500 ms |", writes,
                percentile(lags, 50), percentile(lags, 99), lags.isEmpty() ? -1 : Collections.max(lags), lags.size(),
                undecided, where));
        System.out.println(report.getLast());
    }

    /** {@code count} posts in the bench submolt by the first agent, made through the gateway; answers their ids. */
    private List<String> seedPosts(int count, String title) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            made.add(pool.submit(() -> call("POST", "/posts", keys.get(0), "{\"submolt\":\"" + BENCH_SUBMOLT
                    + "\",\"title\":\"" + title + " " + n + "\",\"content\":\"seeded through the gateway\"}")
                    .at("/post/id").asText()));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : made) {
            ids.add(f.get());
        }
        pool.shutdown();
        call("GET", "/posts/" + ids.getLast(), keys.get(0), null);
        return ids;
    }

    /**
     * Moltbook's heartbeat ({@link Heartbeat}): registers {@code agents} agents and nine submolts beside
     * {@code general}, seeds {@code posts} posts drawn as the heartbeats draw them, then offers each heartbeat rate in
     * turn for {@code seconds} (after an unmeasured ramp to the first), with the visible-post probe running. A rate
     * passes when every call's p99 is at most 100 ms, a new post is visible within p99 1 s, and nothing failed.
     */
    private void heartbeat(int agents, int posts, List<Integer> rates, int seconds, long seed) throws Exception {
        List<String> names = new ArrayList<>();
        List<String> population = register("beat", agents, names);
        List<String> submolts = new ArrayList<>(List.of("general"));
        for (int i = 1; i <= 9; i++) { // an agent younger than a day makes one submolt
            String name = "beat" + i;
            call("POST", "/submolts", population.get(i), "{\"name\":\"" + name + "\"}");
            submolts.add(name);
        }
        Heartbeat beats = new Heartbeat(stack.gatewayUrl(), new Heartbeat.Population(population, names, submolts));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        SplittableRandom seeding = new SplittableRandom(seed - 1);
        List<Future<JsonNode>> made = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            String key = population.get(beats.author(seeding));
            String body = beats.postBody(seeding);
            made.add(pool.submit(() -> call("POST", "/posts", key, body)));
        }
        for (Future<JsonNode> f : made) {
            f.get();
        }
        pool.shutdown();
        report.add(String.format("| heartbeat: the population | %,d agents registered through the gateway, %,d posts"
                + " seeded (84%% in general, authors by the power law), seed %d | |", agents, posts, seed));
        // Warm-up, not counted: a ramp to the first rate, 10 s a step. Offered cold, a rate the warm stack sustains
        // overloads it while the JIT compiles, and an open model's queue of writes never drains.
        for (int step = 1; step <= 4; step++) {
            beats.run(Math.max(1, rates.getFirst() * step / 5.0), Duration.ofSeconds(10), seed + step);
        }
        // warmup=N (300 by default): N s more at four fifths of the first rate, for the JIT to finish compiling the
        // path. Measured (run 20): after 120 s the writes' p99 at 60/s swung from 87 to 571 ms between windows of the
        // same code, with post-service's mean upvote at 100-260 ms early on; after 300 s every call's p99 was 11-35 ms
        // and the stack used 70% of the cores where it had used 89%.
        int warmup = Integer.getInteger("bench.warmup", 300);
        if (warmup > 0) {
            beats.run(Math.max(1, rates.getFirst() * 4 / 5.0), Duration.ofSeconds(warmup), seed + 5);
        }
        long[] posted = new long[agents];
        int sustained = 0;
        for (int rate : rates) {
            LagProbe probe = new LagProbe(keys.get(keys.size() - 1));
            Thread t = new Thread(probe, "lag-probe");
            t.setDaemon(true);
            t.start();
            if (StatementStats.enabled()) {
                StatementStats.reset(stack);
            }
            Map<String, Double> cpuBefore = ProcessCpu.sample();
            Heartbeat.Result result = beats.run(rate, Duration.ofSeconds(seconds), seed);
            Map<String, Double> cpu = ProcessCpu.between(cpuBefore, ProcessCpu.sample());
            if (StatementStats.enabled()) {
                StatementStats.top(stack, (long) rate * seconds, "heartbeat offered", 25).forEach(System.out::println);
            }
            probe.stop();
            t.join(10_000);
            List<Long> lags = probe.lags();
            for (int a = 0; a < agents; a++) {
                posted[a] += result.postsByAuthor()[a];
            }
            boolean passes = result.failed() == 0 && result.worstP99() <= 100 && percentile(lags, 99) <= 1000;
            if (passes) {
                sustained = Math.max(sustained, rate);
            }
            StringBuilder calls = new StringBuilder();
            for (Heartbeat.Call c : result.calls()) {
                calls.append(String.format("%s%s: %,d OK, %,d failed, p50 %.1f ms, p99 %.1f ms", calls.isEmpty() ? ""
                        : "; ", c.name(), c.ok(), c.failed(), c.p50Ms(), c.p99Ms()));
            }
            StringBuilder where = new StringBuilder();
            double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
            cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e ->
                    where.append(String.format("%s%s %.1f ms", where.isEmpty() ? "" : ", ", e.getKey(),
                            e.getValue() * 1000 / Math.max(1, result.heartbeats()))));
            report.add(String.format("| heartbeat at %,d/s offered (%,d agents on a 30-minute heartbeat) for %d s |"
                            + " %s: %,d heartbeats, %,d dropped; %s; a new post visible p50 %d ms, p99 %d ms"
                            + " (%d samples);"
                            + " CPU per heartbeat %.1f ms (%.0f%% of the 2 cores): %s | every call p99 ≤ 100 ms,"
                            + " visible p99 ≤ 1 s |", rate, rate * 1800, seconds, passes ? "**passes**" : "fails",
                    result.heartbeats(), result.dropped(), calls, percentile(lags, 50), percentile(lags, 99),
                    lags.size(), total * 1000 / Math.max(1, result.heartbeats()),
                    100 * total / result.elapsedSeconds() / Runtime.getRuntime().availableProcessors(), where));
            System.out.println(report.getLast());
        }
        beats.close();
        report.add(String.format("| heartbeat: agents sustained | %,d (%,d heartbeats/s); the top 7%% of authors wrote"
                + " %.0f%% of the posts made during the windows | 1,500,000 |", sustained * 1800, sustained,
                100 * Heartbeat.shareOfTopAuthors(posted, 0.07)));
        System.out.println(report.getLast());
    }

    /** Seeds the submolt once, then offers each read rate in turn (e.g. the target, then what the stack sustains). */
    private void hotFeedReads(int posts, List<Integer> rates, int seconds) throws Exception {
        seedFeed(posts);
        for (int rate : rates) {
            report.add(openModelRow(String.format("hot feed reads (25 items, submolt of %,d posts) at %,d/s offered"
                    + " for %d s", posts, rate, seconds), "req/s", gatling(HotFeedReads.class, rate, seconds, null),
                    "≥ 3,000 req/s at p99 ≤ 20 ms"));
        }
    }

    /** The web view's front page (HTML, 25 posts of Shoal's hot feed, the pulse) offered to humans at fixed rates. */
    private void frontPages(int posts, List<Integer> rates, int seconds) throws Exception {
        seedFeed(posts);
        for (int rate : rates) {
            report.add(openModelRow(String.format("front page (HTML, 25 hot posts of %,d) at %,d pages/s offered for"
                    + " %d s", posts, rate, seconds), "pages/s", gatling(FrontPageReads.class, rate, seconds, null),
                    "500 pages/s at p99 ≤ 30 ms"));
        }
    }

    /** A report row of one Gatling window: what was offered, what was answered OK, percentiles, the target. */
    private static String openModelRow(String what, String unit, JsonNode stats, String target) {
        return String.format("| %s | %,.0f %s OK (%,d OK, %,d KO); p50 %d ms, p95 %d ms, p99 %d ms | %s |", what,
                stats.at("/meanNumberOfRequestsPerSecond/ok").asDouble(), unit, stats.at("/numberOfRequests/ok").asLong(),
                stats.at("/numberOfRequests/ko").asLong(), stats.at("/percentiles1/ok").asLong(),
                stats.at("/percentiles3/ok").asLong(), stats.at("/percentiles4/ok").asLong(), target);
    }

    /** Seeds the bench submolt with {@code posts} posts over the last week and half as many votes, through the log. */
    private void seedFeed(int posts) throws Exception {
        Random random = new Random(42);
        List<ShoalEvent> events = new ArrayList<>(posts * 2);
        List<Instant> times = new ArrayList<>(posts * 2);
        Instant start = Instant.now().minus(Duration.ofDays(7));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            events.add(new PostCreated(id, benchSubmolt, BENCH_SUBMOLT, author, "seeded " + i, "seeded for reads", null,
                    PostEvent.Kind.TEXT));
            times.add(start.plusSeconds(random.nextInt(7 * 24 * 3600)));
        }
        for (int i = 0; i < posts / 2; i++) {
            events.add(new VoteCast(VoteEvent.Target.POST, ids.get(random.nextInt(ids.size())), UUID.randomUUID(), author,
                    random.nextInt(4) == 0 ? -1 : 1));
            times.add(Instant.now());
        }
        double applyRate = publishAndAwait(events, times);
        report.add(String.format("| live projection while seeding (%,d posts + %,d votes through the log) |"
                + " %,.0f events/s applied | (none) |", posts, posts / 2, applyRate));
    }

    /**
     * Fills the log to {@code target} events, a post for every four votes on earlier ones, in the bench submolt;
     * answers how many it added and how fast feed-service applied them.
     */
    private double[] fillLog(int target, long seed, String title) throws Exception {
        Random random = new Random(seed);
        List<UUID> posts = new ArrayList<>();
        List<ShoalEvent> events = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        long missing = Math.max(0, target - logSize());
        for (long i = 0; i < missing; i++) {
            if (posts.isEmpty() || i % 5 == 0) {
                UUID id = UUID.randomUUID();
                posts.add(id);
                events.add(new PostCreated(id, benchSubmolt, BENCH_SUBMOLT, author, title + " " + i, "for the " + title,
                        null, PostEvent.Kind.TEXT));
            } else {
                events.add(new VoteCast(VoteEvent.Target.POST, posts.get(random.nextInt(posts.size())),
                        UUID.randomUUID(), author, random.nextBoolean() ? 1 : -1));
            }
            times.add(Instant.now());
        }
        return new double[] {missing, publishAndAwait(events, times)};
    }

    private void replay(int target) throws Exception {
        double[] filled = fillLog(target, 7, "replay");
        long total = logSize();
        report.add(String.format("| live projection while filling the log (%,.0f more events) | %,.0f events/s applied |"
                + " (none) |", filled[0], filled[1]));
        long t0 = System.nanoTime();
        boolean equal = stack.replay(Stack.FEED, System.out);
        double secs = (System.nanoTime() - t0) / 1e9;
        report.add(String.format("| replay of feed-service (3 projections) from a log of %,d events | %,.0f events/s"
                        + " (%.1f s, rebuilt %s live) | ≥ 20,000 events/s |", total, total / secs, secs,
                equal ? "equal to" : "DIFFERENT from"));
    }

    /**
     * Fills the log to {@code target} events, waits until audit-service signed a checkpoint covering every record,
     * then times {@code ./services audit verify}: every topic re-read from the broker, every leaf, chain and tree
     * recomputed and checked against every signed checkpoint.
     */
    private void audit(int target) throws Exception {
        fillLog(target, 17, "audit");
        long t0 = System.nanoTime();
        long covered = 0;
        long audited = 0;
        while (System.nanoTime() - t0 < Duration.ofMinutes(30).toNanos()) {
            audited = auditedSize();
            covered = checkpointedSize();
            if (covered >= audited) {
                break;
            }
            System.out.printf("audit-service has signed %,d of %,d records%n", covered, audited);
            Thread.sleep(5_000);
        }
        double waited = (System.nanoTime() - t0) / 1e9;
        // the projections that also read the filled log settle first, so the command is timed on a quiet machine
        awaitQuiet();
        // the command itself, as an operator runs it (its own JVM and options), against this stack; more than once:
        // the first reads the broker's segments from disk, the later ones from the page cache
        int runs = Integer.getInteger("bench.verifyRuns", 3);
        List<String> rates = new ArrayList<>();
        String said = "";
        boolean holds = true;
        for (int run = 0; run < runs; run++) {
            ProcessBuilder command = new ProcessBuilder(root.resolve("services").toString(), "audit", "verify")
                    .redirectErrorStream(true);
            command.environment().putAll(stack.commandEnvironment());
            long v0 = System.nanoTime();
            Process p = command.start();
            said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            holds &= p.waitFor() == 0;
            double secs = (System.nanoTime() - v0) / 1e9;
            System.out.println(said);
            java.util.regex.Matcher inner = java.util.regex.Pattern.compile("\\(([0-9]+) records/s").matcher(said);
            java.util.regex.Matcher checked = java.util.regex.Pattern.compile("checkpoints in ([0-9.]+) s").matcher(said);
            rates.add(String.format("%,.0f/s whole command (%.1f s; checkpoints %s s), %s/s reading and checking the"
                    + " records", audited / secs, secs, checked.find() ? checked.group(1) : "?",
                    inner.find() ? String.format("%,d", Long.parseLong(inner.group(1))) : "?"));
        }
        report.add(String.format("| audit-service signing a checkpoint over the whole log once it was filled | %.1f s"
                + " after the last write (%,d of %,d records covered) | (none) |", waited, covered, audited));
        report.add(String.format("| ./services audit verify over %,d records (every leaf, chain and root recomputed"
                + " and checked against every checkpoint; JVM start included in the whole command), run after run |"
                + " %s; %s | ≥ 200,000 records/s |", audited, String.join("; ", rates),
                holds ? "the log holds" : "FINDINGS: " + said));
        if (Boolean.getBoolean("bench.hold")) {
            hold();
        }
    }

    /** Waits until the services' consumers are caught up (the machine is otherwise idle), at most two minutes. */
    private void awaitQuiet() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Double> before = ProcessCpu.sample();
            Thread.sleep(2_000);
            double busy = ProcessCpu.between(before, ProcessCpu.sample()).entrySet().stream()
                    .filter(e -> !e.getKey().equals("load generator")).mapToDouble(Map.Entry::getValue).sum() / 2.0;
            if (busy < 0.2) {
                return;
            }
            System.out.printf("the stack is still busy (%.0f%% of a core)%n", busy * 100);
        }
    }

    /** hold=true: keeps the stack up for profiling by hand; prints how to reach it. */
    private void hold() throws InterruptedException {
        System.out.println("holding the stack (Ctrl-C ends the bench); to run commands against it:");
        stack.commandEnvironment().forEach((k, v) -> System.out.println("export " + k + "=" + v));
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Records on every topic the audit commits to (all but the checkpoints, dead letters included). */
    private long auditedSize() throws Exception {
        return logSize(dev.shoal.events.audit.AuditedLog.topics());
    }

    /** Records the latest signed checkpoint covers, as audit-service answers it (0 before the first). */
    private long checkpointedSize() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.url(stack.service(Stack.AUDIT))
                        + "/internal/audit/checkpoints/latest")).header("X-Shoal-Internal-Token", stack.internalToken())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return 0;
        }
        long total = 0;
        for (JsonNode h : JSON.readTree(r.body()).path("heads")) {
            total += h.path("size").asLong();
        }
        return total;
    }

    /**
     * Fills post-service's topics to {@code target} events, then drops its database and restores its tables from the
     * log. Run it on its own: the read benchmark seeds posts dated before their submolt, which no real log holds and
     * a restore, applying events in time order, refuses.
     */
    private void restore(int target) throws Exception {
        fillLog(target, 11, "restore");
        long total = logSize();
        long t0 = System.nanoTime();
        stack.restore(Stack.POST, true, System.out);
        double secs = (System.nanoTime() - t0) / 1e9;
        report.add(String.format("| restore of post-service's tables from a log of %,d events (database dropped,"
                + " service restarted, until ready) | %,.0f events/s (%.1f s) | (none) |", total, total / secs, secs));
    }

    /**
     * Fills the log to {@code target} events, then deploys feed-service with a changed hot formula (the build of
     * {@code e2e/feed-service-next}: its posts projection is built from offset 0 beside the running one) while Gatling
     * offers hot feed reads through the gateway for {@code seconds}; then rolls it back, with reads again.
     */
    private void deploy(int target, int readRate, int writeRate, int seconds) throws Exception {
        Path next = root.resolve("e2e/feed-service-next/target/quarkus-app");
        fillLog(target, 13, "deploy");
        long total = logSize();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            targets.add(call("POST", "/posts", keys.get(0), "{\"submolt\":\"general\",\"title\":\"deploy " + i
                    + "\",\"content\":\"votes land here\"}").at("/post/id").asText());
        }
        for (boolean rollback : new boolean[] {false, true}) {
            OpenVotes votes = new OpenVotes(targets, writeRate);
            Thread voting = new Thread(votes, "votes");
            if (writeRate > 0) {
                voting.start();
            }
            java.util.concurrent.atomic.AtomicReference<Object> stats = new java.util.concurrent.atomic.AtomicReference<>();
            Thread reads = new Thread(() -> {
                try {
                    stats.set(gatling(HotFeedReads.class, readRate, seconds, null));
                } catch (Exception e) {
                    stats.set(e);
                }
            }, "reads");
            reads.start();
            Thread.sleep(5_000);
            long t0 = System.nanoTime();
            if (rollback) {
                stack.rollback(Stack.FEED, System.out);
            } else {
                stack.deploy(Stack.FEED, next, System.out);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            reads.join();
            votes.stop();
            if (writeRate > 0) {
                voting.join();
            }
            if (!(stats.get() instanceof JsonNode r)) {
                throw new IllegalStateException("the reads did not run", (Throwable) stats.get());
            }
            report.add(String.format("| %s of feed-service (%s) on a log of %,d events, hot feed reads (25 items) at"
                            + " %,d/s and votes at %,d/s offered through the gateway for %d s around it | done in %.1f s%s;"
                            + " reads %,d OK, %,d KO, p50 %d ms, p99 %d ms; votes %s | no failed read |",
                    rollback ? "rollback" : "deploy", rollback ? "the released build again, its kept version caught"
                            + " up and made live" : "posts projection at code version 2, built from offset 0", total,
                    readRate, writeRate, seconds, secs, rollback ? "" : String.format(" (%,.0f events/s through the"
                            + " new build)", total / secs), r.at("/numberOfRequests/ok").asLong(),
                    r.at("/numberOfRequests/ko").asLong(), r.at("/percentiles1/ok").asLong(),
                    r.at("/percentiles4/ok").asLong(), writeRate > 0 ? votes.summary() : "none"));
        }
    }

    /** Publishes events straight onto the log (as post-service would) and waits until feed-service applied them. */
    private double publishAndAwait(List<ShoalEvent> events, List<Instant> times) throws Exception {
        Map<String, Object> config = new HashMap<>(stack.kafka().clientConfig("post-service"));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events.size(); i++) {
                ShoalEvent e = events.get(i);
                p.send(CloudEventHeaders.toRecord(e.topic().id(), EventEnvelope.of(e, author.toString(), "bench",
                        times.get(i))));
            }
        }
        Thread.sleep(1500);
        while (stack.projectionLag(Stack.FEED) != 0) {
            Thread.sleep(200);
        }
        return events.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private long logSize() throws Exception {
        return logSize(Topic.allIds());
    }

    private long logSize(List<String> topics) throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (String topic : topics) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            long total = 0;
            for (var e : admin.listOffsets(request).all().get().values()) {
                total += e.offset();
            }
            return total;
        }
    }

    /** Runs a simulation and answers its global statistics (from the report Gatling writes, kept under bench/target). */
    private JsonNode gatling(Class<?> simulation, int rate, int seconds, Path posts) throws IOException {
        System.setProperty("bench.gateway", stack.gatewayUrl());
        System.setProperty("bench.keys", work.resolve("keys.txt").toString());
        if (posts != null) {
            System.setProperty("bench.posts", posts.toString());
        }
        System.setProperty("bench.rate", String.valueOf(rate));
        System.setProperty("bench.seconds", String.valueOf(seconds));
        Path results = root.resolve("bench/target/gatling");
        int exit = io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {"-s", simulation.getName(), "-rf",
                results.toString(), "-rd", simulation.getSimpleName()});
        if (exit != 0 && exit != 2) { // 2: assertions failed, which these simulations do not declare
            throw new IllegalStateException("Gatling run of " + simulation.getSimpleName() + " failed (" + exit + ")");
        }
        try (Stream<Path> runs = Files.list(results)) {
            Path latest = runs.filter(p -> p.getFileName().toString().startsWith(simulation.getSimpleName().toLowerCase()))
                    .max(Comparator.comparing(p -> p.toFile().lastModified())).orElseThrow();
            return GatlingStats.read(latest);
        }
    }

    private void writeReport(Path root, String[] args) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("Run on " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + "command: ./mvnw -Pbench -pl bench exec:exec -Dbench.args=\"" + String.join(" ", args) + "\"");
        lines.add("");
        lines.add("| benchmark | measured | target |");
        lines.add("|---|---|---|");
        lines.addAll(report);
        Path out = root.resolve("bench/target/benchmarks.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        System.out.println(String.join("\n", lines));
    }

    private JsonNode call(String method, String path, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /**
     * Votes offered at a fixed rate (an open model, like Gatling's: a slow answer does not slow the offer), each from a
     * random agent on a random post, answers timed; a vote's toggling answers 200 either way.
     */
    private final class OpenVotes implements Runnable {
        private final List<String> targets;
        private final int rate;
        private final java.util.concurrent.atomic.AtomicLong ok = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong ko = new java.util.concurrent.atomic.AtomicLong();
        private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;
        private long started;
        private long stopped;

        OpenVotes(List<String> targets, int rate) {
            this.targets = targets;
            this.rate = rate;
        }

        void stop() {
            running = false;
        }

        String summary() {
            double secs = Math.max(0.001, (stopped - started) / 1e9);
            return String.format("%,d OK (%,.0f/s), %,d KO, p50 %d ms, p99 %d ms", ok.get(), ok.get() / secs, ko.get(),
                    percentile(millis, 50), percentile(millis, 99));
        }

        @Override
        public void run() {
            started = System.nanoTime();
            long n = 0;
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(2_000);
            while (running) {
                long due = started + n * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    continue;
                }
                n++;
                if (!inFlight.tryAcquire()) {
                    ko.incrementAndGet(); // the generator's own limit: counted as failed, never waited for
                    continue;
                }
                String key = keys.get(1 + (int) (n % (keys.size() - 1)));
                String post = targets.get((int) (n * 7 % targets.size()));
                long t0 = System.nanoTime();
                http.sendAsync(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/posts/" + post
                                + "/upvote")).header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                            inFlight.release();
                            if (e == null && r.statusCode() == 200) {
                                ok.incrementAndGet();
                                millis.add((System.nanoTime() - t0) / 1_000_000);
                            } else {
                                ko.incrementAndGet();
                            }
                        });
            }
            inFlight.acquireUninterruptibly(2_000); // every vote sent has answered
            stopped = System.nanoTime();
        }
    }

    /** Posts every 100 ms during the write benchmark and measures how long until the post is readable. */
    private final class LagProbe implements Runnable {
        private final String key;
        private final List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;

        LagProbe(String key) {
            this.key = key;
        }

        void stop() {
            running = false;
        }

        List<Long> lags() {
            return new ArrayList<>(lags);
        }

        @Override
        public void run() {
            int n = 0;
            while (running) {
                try {
                    String id = call("POST", "/posts", key, "{\"submolt\":\"general\",\"title\":\"probe " + n++
                            + "\",\"content\":\"lag\"}").at("/post/id").asText();
                    long t0 = System.nanoTime();
                    while (true) {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                                + "/api/v1/posts/" + id)).header("Authorization", "Bearer " + key).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            break;
                        }
                        Thread.sleep(2);
                    }
                    lags.add((System.nanoTime() - t0) / 1_000_000);
                    Thread.sleep(100);
                } catch (Exception e) {
                    if (running) {
                        System.err.println("lag probe: " + e);
                    }
                }
            }
        }
    }
}
