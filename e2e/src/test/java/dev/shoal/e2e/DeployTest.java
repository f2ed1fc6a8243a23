package dev.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.e2e.LocalStack.Answer;
import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.VoteEvent;
import dev.shoal.launcher.LaunchException;
import dev.shoal.launcher.ProjectRoot;
import dev.shoal.launcher.Stack;

/**
 * {@code ./services deploy} and {@code rollback} on a whole stack: feed-service's hot formula changed (the build of
 * {@code e2e/feed-service-next}, its posts one code version ahead) ships beside the running build while agents read
 * feeds and vote through the gateway, with no failed read; the new order is served after it, the rollback serves the old one again; a deploy
 * whose new instance is killed half-way finishes when run again, applying nothing twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static Path dir;
    static Stack stack;
    static Path next;
    static String older;
    static String newer;
    /** Agents voting all along, each one after another: together hundreds of writes a second. */
    static final int WRITERS = 12;
    /** An agent that only reads (feeds are for agents with a key). */
    static String reader;

    static LocalStack local;

    @BeforeAll
    static void up() throws IOException {
        next = ProjectRoot.find().resolve("e2e/feed-service-next/target/quarkus-app");
        assertTrue(Files.isRegularFile(next.resolve("quarkus-run.jar")), "the changed build is built: " + next);
        local = LocalStack.up("shoal-deploy-", Map.of(
                Stack.GATEWAY, Map.of("shoal.rate-limit.registrations.requests", "1000",
                        "shoal.rate-limit.per-key.requests", "1000000"),
                Stack.POST, Map.of("shoal.limits.post-cooldown", "PT0.001S",
                        "shoal.limits.new-agent-post-cooldown", "PT0.001S"),
                // its new writers post without cooldowns, which is flooding (and would be challenged), and it
                // publishes 300,000 fresh upvotes: this test is about deploys, not moderation
                Stack.MODERATION, Map.of("shoal.moderation.flood", "0", "shoal.moderation.vote-ring.votes", "0",
                        "shoal.moderation.challenges.new-agent-rate", "0")));
        dir = local.dir;
        stack = local.stack;
    }

    @AfterAll
    static void down() throws IOException {
        if (local != null) {
            local.close();
        }
    }

    static Answer call(String method, String path, String key, String body) throws Exception {
        return local.call(method, path, key, body);
    }

    static String register(String name) throws Exception {
        return local.register(name);
    }

    static String post(String key, String title) throws Exception {
        Answer a = call("POST", "/posts", key, "{\"submolt\":\"general\",\"title\":\"" + title + "\",\"content\":\"x\"}");
        assertEquals(201, a.status(), String.valueOf(a.body()));
        return a.body().at("/post/id").asText();
    }

    /** Which of two posts the hot feed lists first, as a reader sees it now; null while either is missing. */
    static String firstOf(String a, String b) throws Exception {
        Answer feed = call("GET", "/submolts/general/feed?sort=hot&limit=100", reader, null);
        if (feed.status() != 200) {
            throw new AssertionError("a feed read failed: " + feed.status() + " " + feed.body());
        }
        for (JsonNode p : feed.body().path("data")) {
            String id = p.path("id").asText();
            if (id.equals(a) || id.equals(b)) {
                return id;
            }
        }
        return null;
    }

    static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        // generous: a 2-core CI machine applies 300,000 events in tens of seconds
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** feed-service's posts projection as its current instance reports it. */
    static JsonNode postsProjection(String baseUrl) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/internal/projections"))
                .header("X-Shoal-Internal-Token", stack.internalToken()).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode p : JSON.readTree(r.body()).path("projections")) {
            if (p.path("projection").asText().equals("posts")) {
                return p;
            }
        }
        throw new AssertionError("no posts projection: " + r.body());
    }

    static JsonNode postsProjection() throws Exception {
        return postsProjection(stack.url(stack.service(Stack.FEED)));
    }

    /** Each post's votes and comments as a version of the posts projection holds them (its hot rank aside). */
    static long differingPosts(String schemaA, String schemaB) throws Exception {
        String cols = "id, upvotes, downvotes, score, comment_count, deleted";
        try (Connection c = stack.superuser(Stack.FEED); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM (SELECT " + cols + " FROM " + schemaA
                     + ".post EXCEPT SELECT " + cols + " FROM " + schemaB + ".post) x) + (SELECT count(*) FROM"
                     + " (SELECT " + cols + " FROM " + schemaB + ".post EXCEPT SELECT " + cols + " FROM " + schemaA
                     + ".post) y) + (SELECT count(*) FROM (SELECT * FROM " + schemaA + ".post_vote EXCEPT SELECT * FROM "
                     + schemaB + ".post_vote) z) + (SELECT count(*) FROM (SELECT * FROM " + schemaB
                     + ".post_vote EXCEPT SELECT * FROM " + schemaA + ".post_vote) w)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Posts whose upvotes in a version of the projection differ from post-service's own votes (the truth). */
    static long postsDisagreeingWithTheWriter(String schema, List<String> posts) throws Exception {
        Map<String, Long> truth = new java.util.HashMap<>();
        try (Connection c = stack.superuser(Stack.POST); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT target_id::text, count(*) FILTER (WHERE value = 1) FROM vote"
                     + " GROUP BY target_id")) {
            while (rs.next()) {
                truth.put(rs.getString(1), rs.getLong(2));
            }
        }
        long differ = 0;
        try (Connection c = stack.superuser(Stack.FEED); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id::text, upvotes FROM " + schema + ".post")) {
            while (rs.next()) {
                if (posts.contains(rs.getString(1)) && rs.getLong(2) != truth.getOrDefault(rs.getString(1), 0L)) {
                    differ++;
                }
            }
        }
        return differ;
    }

    @Test
    @Order(1)
    void aChangedHotFormulaShipsUnderLoadWithNoFailedReadAndRollsBack() throws Exception {
        // An older post with votes and a newer one without: the released formula ranks the voted one first, the
        // changed one (a second of age outweighs a tenfold score) the newest.
        reader = register("reader_" + UUID.randomUUID().toString().substring(0, 6));
        String author = register("author_" + UUID.randomUUID().toString().substring(0, 6));
        older = post(author, "older, voted");
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            String key = register("voter_" + i + "_" + UUID.randomUUID().toString().substring(0, 6));
            voters.add(key);
            if (i < 6) {
                assertEquals(200, call("POST", "/posts/" + older + "/upvote", key, null).status());
            }
        }
        Thread.sleep(1100);
        newer = post(register("late_" + UUID.randomUUID().toString().substring(0, 6)), "newer, unvoted");
        List<String> loadPosts = new ArrayList<>();
        for (int i = 0; i < 2 * WRITERS; i++) {
            loadPosts.add(post(author, "load " + i));
        }
        await("the released formula lists the voted post first", () -> older.equals(firstOf(older, newer)));

        // Agents vote through the gateway all along (toggling their votes on the load posts) and others read.
        // Readers read about 100 times a second (a pause between calls), leaving the CPU to the writers.
        Load readers = new Load("reader", 2, t -> () -> {
            Thread.sleep(20);
            return call("GET", "/submolts/general/feed?sort=hot&limit=25", reader, null).status();
        });
        Load writers = new Load("writer", WRITERS, t -> {
            String key = voters.get(t);
            java.util.Random random = new java.util.Random(key.hashCode());
            return () -> call("POST", "/posts/" + loadPosts.get(random.nextInt(loadPosts.size())) + "/upvote", key,
                    null).status();
        });
        try (readers; writers) {
            Thread.sleep(5000); // the services' JIT warms up
            long warm = writers.done.get();
            Thread.sleep(3000);
            System.out.printf("before the deploy: %,d writes/s%n", (writers.done.get() - warm) / 3);
            String releasedSchema = postsProjection().path("schema").asText();
            int releasedVersion = postsProjection().path("codeVersion").asInt();
            long writesBefore = writers.done.get();
            long startedAt = System.nanoTime();
            stack.deploy(Stack.FEED, next, System.out);
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            long written = writers.done.get() - writesBefore;
            System.out.printf("deploy under load: %.1f s, %,d writes (%.0f/s), %,d reads, %d failed reads%n", seconds,
                    written, written / seconds, readers.done.get(), readers.failed.get());
            assertEquals(newer, firstOf(older, newer), "the new order is served once the deploy has moved the traffic");
            JsonNode deployed = postsProjection();
            assertEquals(releasedVersion + 1, deployed.path("codeVersion").asInt(), "the next build's code version");
            assertNotEquals(releasedSchema, deployed.path("schema").asText(), "built in a schema of its own");
            assertTrue(deployed.path("retired").toString().contains(releasedSchema.replaceAll(".*_v", "")),
                    "the released build's version is kept for a rollback: " + deployed);
            assertTrue(written > 100, "writes went on during the deploy");

            // The writes stop; the new version holds exactly the writer's votes: nothing lost, nothing twice.
            writers.close();
            await("the new build has applied every vote", () -> postsProjection().path("lag").asLong() == 0);
            List<String> all = new ArrayList<>(loadPosts);
            all.add(older);
            all.add(newer);
            Thread.sleep(500);
            assertEquals(0, postsDisagreeingWithTheWriter(deployed.path("schema").asText(), all));

            // Rollback, the readers still reading.
            stack.rollback(Stack.FEED, System.out);
            assertEquals(older, firstOf(older, newer), "the rollback serves the released order again");
            JsonNode rolledBack = postsProjection();
            assertEquals(releasedVersion, rolledBack.path("codeVersion").asInt());
            assertEquals(releasedSchema, rolledBack.path("schema").asText(), "the kept version, not a rebuild");
            assertEquals(0, postsDisagreeingWithTheWriter(releasedSchema, all));
        }
        assertTrue(readers.done.get() > 200, "readers read throughout (" + readers.done.get() + ")");
        assertEquals(0, readers.failed.get(), "no read failed: " + readers.lastFailure.get());
        assertEquals(0, writers.failed.get(), "no write failed: " + writers.lastFailure.get());
    }

    @Test
    @Order(2)
    void aDeployWhoseNewBuildIsKilledHalfWayFinishesWhenRunAgainAndAppliesNothingTwice() throws Exception {
        // gc drops the version the rollback replaced: the next deploy builds from offset 0 again, over enough
        // events (votes published straight to the log, as post-service would) to be caught half-way.
        stack.gc(List.of(Stack.FEED), System.out);
        Map<String, Object> config = new HashMap<>(stack.kafka().clientConfig("post-service"));
        config.put("linger.ms", 20);
        config.put("batch.size", 262144);
        int votes = 300_000;
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            Instant now = Instant.now();
            UUID author = UUID.randomUUID();
            for (int i = 0; i < votes; i++) {
                VoteEvent.VoteCast v = new VoteEvent.VoteCast(VoteEvent.Target.POST, UUID.randomUUID(),
                        UUID.randomUUID(), author, 1);
                p.send(CloudEventHeaders.toRecord(v.topic().id(), EventEnvelope.of(v, "system", "load", now, 1)));
            }
            p.flush();
        }
        await("the running build applied them", () -> postsProjection().path("lag").asLong() == 0);
        String released = postsProjection().path("schema").asText();
        int releasedVersion = postsProjection().path("codeVersion").asInt();

        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread deploying = new Thread(() -> {
            try {
                stack.deploy(Stack.FEED, next, System.out);
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        deploying.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long applied = 0;
        while (applied < 30_000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            String url = stack.deployingUrl(Stack.FEED).orElse(null);
            try {
                JsonNode p = url == null ? null : postsProjection(url);
                applied = p != null && p.path("building").asBoolean() ? p.path("eventsApplied").asLong() : 0;
            } catch (IOException | RuntimeException e) {
                applied = 0; // not answering yet
            }
        }
        assertTrue(applied >= 30_000 && applied < votes, "killed half-way, after " + applied + " events");
        long pid = stack.deployingPid(Stack.FEED).orElseThrow();
        if (runsAsRoot()) { // the build beside the live one runs at a lower priority, so readers keep the CPU
            assertEquals(java.util.Set.of(10), niceness(pid), "the building instance's threads' niceness");
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
        deploying.join(120_000);
        assertTrue(failed.get() instanceof LaunchException, "the deploy saw its new build die: " + failed.get());
        assertEquals(older, firstOf(older, newer), "the running build kept serving");

        stack.deploy(Stack.FEED, next, System.out);
        if (runsAsRoot()) {
            assertEquals(java.util.Set.of(0), niceness(stack.pid(Stack.FEED).orElseThrow()),
                    "serving, every thread of it is back at the normal priority");
        }
        JsonNode resumed = postsProjection();
        assertEquals(releasedVersion + 1, resumed.path("codeVersion").asInt());
        assertTrue(resumed.path("eventsApplied").asLong() < votes,
                "the second start went on from the stored offsets (" + resumed.path("eventsApplied") + " applied)");
        assertEquals(newer, firstOf(older, newer));
        assertEquals(0, differingPosts(released, resumed.path("schema").asText()),
                "the rebuilt version holds every vote once, as the released one does");
    }

    /** Runs {@code ./services} (its launcher) against this stack as a process of its own, output into a file. */
    static Process command(Path output, String... args) throws IOException {
        Path launcher = ProjectRoot.find().resolve("deploy/launcher/target");
        String classpath = launcher.resolve("shoal-launcher-0.1.0-SNAPSHOT.jar") + ":"
                + Files.readString(launcher.resolve("launcher.classpath")).trim();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                classpath, "dev.shoal.launcher.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ProjectRoot.find().toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(stack.commandEnvironment());
        return pb.start();
    }

    static void awaitOutput(Process p, Path output, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.readString(output).contains(line)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the command never said '" + line + "': " + Files.readString(output));
            }
            Thread.sleep(5);
        }
    }

    /** feed-service processes of this stack (on its port or its twin), whoever recorded them. */
    static long feedProcesses() {
        int port = Integer.parseInt(stack.commandEnvironment().get("SHOAL_FEED_PORT"));
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(h -> h.info().commandLine()
                .map(c -> c.contains("-Dshoal.process=" + Stack.FEED) && (c.contains("-Dquarkus.http.port=" + port + " ")
                        || c.contains("-Dquarkus.http.port=" + (port + 100) + " "))).orElse(false)).count();
    }

    @Test
    @Order(3)
    void aDeployCommandKilledAtAnyStepIsFinishedByRunningItAgain() throws Exception {
        Load readers = new Load("reader", 1, t -> () -> call("GET", "/submolts/general/feed?sort=hot&limit=25",
                reader, null).status());
        try (readers) {
            // Killed (kill -9) once it has started the new instance: the instance goes on, the rerun follows it.
            Path out = dir.resolve("rollback.out");
            Process rollback = command(out, "rollback", Stack.FEED);
            awaitOutput(rollback, out, "starting on");
            rollback.destroyForcibly().waitFor();
            long started = stack.deployingPid(Stack.FEED).orElseThrow();
            assertTrue(ProcessHandle.of(started).map(ProcessHandle::isAlive).orElse(false),
                    "the new instance outlives the command that started it");
            java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
            stack.rollback(Stack.FEED, new java.io.PrintStream(said, true));
            System.out.print(said);
            assertTrue(said.toString().contains("going on with"), said.toString());
            assertEquals(older, firstOf(older, newer), "rolled back");
            assertEquals(1, feedProcesses(), "one feed-service runs: the one the rerun finished with");

            // Killed while the old instance finishes its calls (after the gateway moved): the rerun stops it.
            out = dir.resolve("deploy.out");
            Process deploy = command(out, "deploy", Stack.FEED, "--build", next.toString());
            awaitOutput(deploy, out, "the gateway sends its calls");
            deploy.destroyForcibly().waitFor();
            assertEquals(2, feedProcesses(), "the old instance was not stopped yet");
            said.reset();
            stack.deploy(Stack.FEED, next, new java.io.PrintStream(said, true));
            System.out.print(said);
            assertTrue(said.toString().contains("stopping the build a deploy replaced"), said.toString());
            assertEquals(1, feedProcesses());
            assertEquals(newer, firstOf(older, newer), "deployed");
        }
        assertEquals(0, readers.failed.get(), "no read failed: " + readers.lastFailure.get());
    }
    static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The niceness of every thread of a process (field 19 of each {@code /proc/<pid>/task/<tid>/stat}). */
    static java.util.Set<Integer> niceness(long pid) throws IOException {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a thread that ended meanwhile
                }
                String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.add(Integer.parseInt(after[16])); // fields from the 3rd on: niceness is the 19th
            }
        }
        return out;
    }

    /** Threads calling the gateway over and over, each call's answer a status: counts calls and those not 200. */
    static final class Load implements AutoCloseable {
        final AtomicLong done = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<String> lastFailure = new AtomicReference<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        /** @param calls for each thread's number, the call it repeats */
        Load(String name, int threads, java.util.function.IntFunction<java.util.concurrent.Callable<Integer>> calls) {
            for (int t = 0; t < threads; t++) {
                java.util.concurrent.Callable<Integer> call = calls.apply(t);
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        try {
                            int status = call.call();
                            done.incrementAndGet();
                            if (status != 200) {
                                failed.incrementAndGet();
                                lastFailure.set(name + " answered " + status);
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            lastFailure.set(name + ": " + e);
                        }
                    }
                }, name + "-" + t);
                this.threads.add(thread);
                thread.start();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
