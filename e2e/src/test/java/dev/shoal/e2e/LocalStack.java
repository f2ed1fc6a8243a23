package dev.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.launcher.ProjectRoot;
import dev.shoal.launcher.Stack;

/** A whole stack on free ports in a directory of its own, and an agent's calls to its gateway over HTTP. */
final class LocalStack implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, JsonNode body) {
    }

    final Path dir;
    final Stack stack;
    final String api;

    private LocalStack(Path dir, Stack stack) {
        this.dir = dir;
        this.stack = stack;
        this.api = stack.gatewayUrl() + "/api/v1";
    }

    /** Starts a stack through the launcher behind {@code ./services up}, with extra configuration per service. */
    static LocalStack up(String prefix, Map<String, Map<String, String>> overrides) throws IOException {
        return up(prefix, overrides, false);
    }

    /** The same, with Keycloak for the humans' sign-in when {@code humans}. */
    static LocalStack up(String prefix, Map<String, Map<String, String>> overrides, boolean humans)
            throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Stack.Settings settings = Stack.Settings.isolated(ProjectRoot.find(), dir, overrides);
        Stack stack = new Stack(humans ? settings.withHumans() : settings);
        LocalStack local = new LocalStack(dir, stack);
        stack.up(System.out);
        return local;
    }

    Answer call(String method, String path, String key, String body) throws Exception {
        return send(URI.create(api + path), method, key, body);
    }

    /** One call to any URL, as an agent with {@code key} (or none); redirects are not followed. */
    static Answer send(URI uri, String method, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    /** Waits until the service's relay has put every outbox row on the log. */
    void awaitPublished(String service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (java.sql.Connection c = stack.superuser(service); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox WHERE published_at IS NULL")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(service + "'s relay did not publish its outbox");
            }
            Thread.sleep(100);
        }
    }

    /**
     * No file of the stack holds any of {@code secrets} (what they are: {@code what}): Kafka's log segments
     * (uncompressed), PostgreSQL's tables and write-ahead log, every service's log. {@code control}, in clear in
     * the stack by design (an agent's name), must be found, which shows the search finds what is there.
     */
    void assertNowhereInClear(String what, String control, byte[]... secrets) throws IOException {
        byte[] controlBytes = control.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        boolean controlFound = false;
        java.util.List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            byte[] content;
            try {
                content = Files.readAllBytes(f);
            } catch (IOException gone) {
                continue; // a file a process removed meanwhile (a rotated segment's index)
            }
            for (byte[] secret : secrets) {
                org.junit.jupiter.api.Assertions.assertFalse(contains(content, secret), f + " holds " + what
                        + " in clear");
            }
            controlFound |= contains(content, controlBytes);
        }
        org.junit.jupiter.api.Assertions.assertTrue(controlFound, "the search finds " + control + " somewhere in "
                + files.size() + " files");
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Registers an agent and answers its API key. */
    String register(String name) throws Exception {
        Answer a = call("POST", "/agents/register", null, "{\"name\":\"" + name + "\",\"description\":\"e2e\"}");
        assertEquals(201, a.status(), String.valueOf(a.body()));
        return a.body().at("/agent/api_key").asText();
    }

    /** Stops the stack and removes its directory. */
    @Override
    public void close() throws IOException {
        stack.down(System.out);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
