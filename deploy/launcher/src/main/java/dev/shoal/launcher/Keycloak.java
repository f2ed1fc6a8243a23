package dev.shoal.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keycloak, the humans' sign-in: the distribution that {@code deploy/keycloak} unpacked from Maven Central and built
 * once for PostgreSQL, started with {@code kc.sh start --optimized} on loopback. Each stack runs it from a home of its
 * own (its {@code data/} directory), whose {@code lib/}, {@code conf/}, {@code themes/} and {@code providers/} link
 * to the one built distribution. The realm ({@code deploy/keycloak/shoal-realm.json}: roles and the web client) is
 * imported through the admin API once Keycloak answers, with the client's secret, its redirect URI and a demo login
 * generated for this stack: no secret is in the repository.
 */
public final class Keycloak {
    public static final String PROCESS = "keycloak";
    public static final String REALM = "shoal";
    public static final String CLIENT = "shoal-web";
    public static final String ADMIN = "admin";
    public static final String DEMO_USER = "demo";
    /** Where the gateway asks Keycloak to send the browser back with the code; the one redirect URI the client has. */
    public static final String CALLBACK_PATH = "/auth/callback";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LINKED = List.of("conf", "lib", "providers", "themes", "version.txt");

    private final Path root;
    private final Path home;
    private final int port;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Keycloak(Path root, Path home, int port, int managementPort) {
        this.root = root;
        this.home = home;
        this.port = port;
        this.managementPort = managementPort;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The realm's issuer: what the gateway's OIDC client is configured with. */
    public String issuer() {
        return url() + "/realms/" + REALM;
    }

    /** The built distribution under {@code deploy/keycloak/target}; the build ({@code ./mvnw install}) makes it. */
    Path distribution() {
        Path target = root.resolve("deploy/keycloak/target");
        try (Stream<Path> dirs = Files.list(target)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-"))
                    .filter(d -> Files.isRegularFile(d.resolve("lib/quarkus/shoal-build-options")))
                    .findFirst().orElseThrow(() -> new LaunchException("Keycloak is not built in " + target
                            + "; run ./mvnw -DskipTests install"));
        } catch (IOException e) {
            throw new LaunchException("Keycloak is not built in " + target + "; run ./mvnw -DskipTests install", e);
        }
    }

    /**
     * Starts Keycloak on its database; answers its JVM (kc.sh forks it), which carries the process marker. Secrets
     * reach it through the environment, never the command line.
     */
    public Process start(Path log, String jdbcUrl, String dbUser, String dbPassword, String adminPassword) {
        prepareHome();
        List<String> cmd = List.of("/bin/sh", home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + managementPort, "--hostname=" + url(),
                "--db-url=" + jdbcUrl, "--db-username=" + dbUser, "--log-console-color=false");
        Map<String, String> env = Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                // Its default heap is 512 MB; this is a small realm on a small machine.
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx384m",
                "JAVA_OPTS_APPEND", Processes.MARKER + PROCESS,
                "KC_DB_PASSWORD", dbPassword,
                "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        Process script = Processes.start(cmd, env, log, home);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> jvm = script.toHandle().descendants()
                    .filter(h -> h.info().commandLine().map(c -> c.contains(Processes.MARKER + PROCESS)).orElse(false))
                    .findFirst();
            if (jvm.isPresent()) {
                return script;
            }
            if (!script.isAlive()) {
                throw new LaunchException("Keycloak exited with " + script.exitValue() + "; see " + log
                        + Processes.tail(log));
            }
            Stack.sleep(50);
        }
        throw new LaunchException("Keycloak's JVM did not start within 30 s; see " + log);
    }

    /** The pid of Keycloak's JVM below the script that started it. */
    static long jvmPid(Process script) {
        return script.toHandle().descendants()
                .filter(h -> h.info().commandLine().map(c -> c.contains(Processes.MARKER + PROCESS)).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElse(script.pid());
    }

    /** A home of this stack's own: kc.sh copied (it finds its home from its own path), the rest linked. */
    private void prepareHome() {
        Path dist = distribution();
        try {
            Files.createDirectories(home.resolve("bin"));
            Files.copy(dist.resolve("bin/kc.sh"), home.resolve("bin/kc.sh"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (String name : LINKED) {
                Path link = home.resolve(name);
                if (Files.isSymbolicLink(link)) {
                    Files.delete(link);
                }
                Files.createSymbolicLink(link, dist.resolve(name));
            }
        } catch (IOException e) {
            throw new LaunchException("cannot prepare Keycloak's home " + home + ": " + e.getMessage(), e);
        }
    }

    /** Ready: its management interface's readiness check, which includes its database. */
    public boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Makes the realm what this stack needs: imported the first time (roles, the web client, the demo login), and on
     * every start the web client's secret and redirect URI set again (the gateway's port may have changed).
     */
    public void configureRealm(String adminPassword, String gatewayUrl, String clientSecret, String demoPassword) {
        String token = adminToken(adminPassword);
        HttpResponse<String> existing = admin(token, "GET", "/admin/realms/" + REALM, null);
        if (existing.statusCode() == 404) {
            ObjectNode realm = readRealm();
            configureClient((ObjectNode) realm.withArray("clients").get(0), gatewayUrl, clientSecret);
            // The demo human owns agents, moderates and audits, so one login shows every page.
            realm.putArray("users").add(user(DEMO_USER, demoPassword, "Demo", "Owner", List.of("owner",
                    "moderator", "auditor")));
            expect(admin(token, "POST", "/admin/realms", realm.toString()), 201, "import the realm");
            return;
        }
        expect(existing, 200, "read the realm");
        HttpResponse<String> found = admin(token, "GET", "/admin/realms/" + REALM + "/clients?clientId=" + CLIENT, null);
        JsonNode client = json(expect(found, 200, "find the web client")).path(0);
        if (!client.isObject()) {
            throw new LaunchException("the realm " + REALM + " has no client " + CLIENT);
        }
        configureClient((ObjectNode) client, gatewayUrl, clientSecret);
        expect(admin(token, "PUT", "/admin/realms/" + REALM + "/clients/" + client.path("id").asText(),
                client.toString()), 204, "update the web client");
    }

    /** A human with a password and realm roles: for tests that need more than the demo login. */
    public void createUser(String adminPassword, String username, String password, List<String> roles) {
        String token = adminToken(adminPassword);
        ObjectNode user = user(username, password, username, "Human", List.of());
        expect(admin(token, "POST", "/admin/realms/" + REALM + "/users", user.toString()), 201, "create " + username);
        JsonNode created = json(expect(admin(token, "GET", "/admin/realms/" + REALM + "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8), null), 200, "find " + username)).path(0);
        ArrayNode mappings = JSON.createArrayNode();
        for (String role : roles) {
            mappings.add(json(expect(admin(token, "GET", "/admin/realms/" + REALM + "/roles/" + role, null), 200,
                    "read role " + role)));
        }
        expect(admin(token, "POST", "/admin/realms/" + REALM + "/users/" + created.path("id").asText()
                + "/role-mappings/realm", mappings.toString()), 204, "give " + username + " its roles");
    }

    private ObjectNode readRealm() {
        Path file = root.resolve("deploy/keycloak/shoal-realm.json");
        try {
            return (ObjectNode) JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void configureClient(ObjectNode client, String gatewayUrl, String secret) {
        client.put("secret", secret);
        client.putArray("redirectUris").add(gatewayUrl + CALLBACK_PATH);
        client.putArray("webOrigins").add(gatewayUrl);
        client.put("rootUrl", gatewayUrl);
        ((ObjectNode) client.with("attributes")).put("post.logout.redirect.uris", gatewayUrl + "/");
    }

    private static ObjectNode user(String username, String password, String firstName, String lastName,
                                   List<String> roles) {
        ObjectNode user = JSON.createObjectNode();
        user.put("username", username);
        user.put("enabled", true);
        user.put("firstName", firstName);
        user.put("lastName", lastName);
        user.put("email", username + "@shoal.invalid");
        user.put("emailVerified", true);
        ObjectNode credential = user.putArray("credentials").addObject();
        credential.put("type", "password");
        credential.put("value", password);
        credential.put("temporary", false);
        ArrayNode realmRoles = user.putArray("realmRoles");
        roles.forEach(realmRoles::add);
        return user;
    }

    private String adminToken(String adminPassword) {
        String form = "grant_type=password&client_id=admin-cli&username=" + ADMIN + "&password="
                + URLEncoder.encode(adminPassword, StandardCharsets.UTF_8);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url()
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        return json(expect(r, 200, "sign in as Keycloak's admin")).path("access_token").asText();
    }

    private HttpResponse<String> admin(String token, String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LaunchException("Keycloak did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }

    private static String expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new LaunchException("could not " + what + " in Keycloak: " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new LaunchException("Keycloak answered something that is not JSON: " + body, e);
        }
    }
}
