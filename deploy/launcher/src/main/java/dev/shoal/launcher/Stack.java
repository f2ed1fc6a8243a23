package dev.shoal.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole of Shoal on one machine: Kafka, PostgreSQL and every service as processes, with their state under one
 * directory. {@code ./services} and the end-to-end tests both run it through this class.
 */
public final class Stack {
    public static final String IDENTITY = "identity-service";
    public static final String POST = "post-service";
    public static final String FEED = "feed-service";
    public static final String MODERATION = "moderation-service";
    public static final String AUDIT = "audit-service";
    public static final String GATEWAY = "gateway";
    static final String KEYCLOAK_DATABASE = "keycloak";

    /**
     * @param gatewayManagementPort where the gateway answers health and metrics: loopback only, never public
     * @param overrides extra configuration per service name (tests use it to shorten limits or pause the relay)
     * @param humans whether Keycloak runs (the humans' sign-in); tests that need no human leave it out
     */
    public record Settings(Path root, Path stateDir, int gatewayPort, int gatewayManagementPort, int identityPort,
                           int postPort, int feedPort, int moderationPort, int auditPort,
                           int kafkaPort,
                           int kafkaControllerPort, int postgresPort, String gatewayHost, boolean durable,
                           Map<String, Map<String, String>> overrides, boolean humans, int keycloakPort,
                           int keycloakManagementPort) {

        /** The local defaults, each port overridable by an environment variable. */
        public static Settings local(Path root) {
            Path state = Optional.ofNullable(System.getenv("SHOAL_STATE_DIR")).map(Path::of)
                    .orElse(root.resolve(".shoal"));
            return new Settings(root, state, env("SHOAL_GATEWAY_PORT", 8080), env("SHOAL_GATEWAY_MANAGEMENT_PORT", 9080),
                    env("SHOAL_IDENTITY_PORT", 8081), env("SHOAL_POST_PORT", 8083), env("SHOAL_FEED_PORT", 8082),
                    env("SHOAL_MODERATION_PORT", 8084), env("SHOAL_AUDIT_PORT", 8085), env("SHOAL_KAFKA_PORT", 19092),
                    env("SHOAL_KAFKA_CONTROLLER_PORT", 19093), env("SHOAL_POSTGRES_PORT", 15432),
                    Optional.ofNullable(System.getenv("SHOAL_GATEWAY_HOST")).orElse("127.0.0.1"), true, Map.of(),
                    true, env("SHOAL_KEYCLOAK_PORT", 8180), env("SHOAL_KEYCLOAK_MANAGEMENT_PORT", 9180));
        }

        /** A stack on free ports in its own directory, for tests. */
        public static Settings isolated(Path root, Path stateDir, Map<String, Map<String, String>> overrides) {
            return new Settings(root, stateDir, Ports.free(), Ports.free(), Ports.freeWithTwin(), Ports.freeWithTwin(),
                    Ports.freeWithTwin(), Ports.freeWithTwin(), Ports.freeWithTwin(), Ports.free(), Ports.free(), Ports.free(),
                    "127.0.0.1", false, overrides,
                    false, Ports.free(), Ports.free());
        }

        /** The same stack with Keycloak: for tests of what humans do. */
        public Settings withHumans() {
            return new Settings(root, stateDir, gatewayPort, gatewayManagementPort, identityPort, postPort, feedPort,
                    moderationPort, auditPort, kafkaPort, kafkaControllerPort, postgresPort, gatewayHost, durable, overrides, true,
                    keycloakPort,
                    keycloakManagementPort);
        }

        private static int env(String name, int fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Settings settings;
    private final Secrets secrets;
    private final KafkaBroker kafka;
    private final Postgres postgres;
    private final Keycloak keycloak;
    private final List<ServiceSpec> services;
    private final Builds builds;
    private final Instances instances;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Stack(Settings settings) {
        this.settings = settings;
        this.secrets = new Secrets(settings.stateDir().resolve("secrets.properties"));
        this.kafka = new KafkaBroker(settings.stateDir().resolve("kafka"), settings.kafkaPort(),
                settings.kafkaControllerPort(), 3, "512m", principal -> secrets.get("kafka." + principal));
        this.postgres = new Postgres(settings.stateDir().resolve("postgres"), settings.postgresPort(),
                secrets.get("postgres.superuser"), settings.durable());
        this.keycloak = new Keycloak(settings.root(), settings.stateDir().resolve("keycloak"), settings.keycloakPort(),
                settings.keycloakManagementPort());
        this.builds = new Builds(settings.stateDir());
        this.instances = new Instances(settings.stateDir());
        this.services = List.of(
                new ServiceSpec(IDENTITY, "identity-service", settings.identityPort(), "identity", false, true),
                new ServiceSpec(POST, "post-service", settings.postPort(), "post", true, true),
                new ServiceSpec(FEED, "feed-service", settings.feedPort(), "feed", true, false),
                new ServiceSpec(MODERATION, "moderation-service", settings.moderationPort(), "moderation", true, true),
                new ServiceSpec(AUDIT, "audit-service", settings.auditPort(), "audit", false, false),
                new ServiceSpec(GATEWAY, "gateway", settings.gatewayPort(), "gateway", true, false));
    }

    public String gatewayUrl() {
        return "http://" + settings.gatewayHost() + ":" + settings.gatewayPort();
    }

    public ServiceSpec service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new LaunchException("no service named " + name + "; Shoal has "
                        + services.stream().map(ServiceSpec::name).toList()));
    }

    /** The operator's token for the services' operator routes (projections, restores, routes). */
    public String internalToken() {
        return secrets.get("internal.operator");
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The stack's PostgreSQL server: for tests that take it away from under the services. */
    public Postgres postgres() {
        return postgres;
    }

    /** The process of a service's live instance, as recorded. */
    public Optional<Long> pid(String name) {
        return Optional.ofNullable(readPids().get(service(name).name()));
    }

    /** The process of a deploy under way (the new build not yet serving), if any: for operators' checks and tests. */
    public Optional<Long> deployingPid(String name) {
        return instances.next(service(name).name()).map(Instances.Next::pid);
    }

    /** The URL of a deploy under way's new instance, if any. */
    public Optional<String> deployingUrl(String name) {
        return instances.next(service(name).name()).map(Instances.Next::url);
    }

    /**
     * The environment under which {@code ./services} (its launcher, {@link Main}) drives this stack rather than the
     * local one: its state directory and ports. For tests that run the command as a process, to kill it.
     */
    public Map<String, String> commandEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SHOAL_STATE_DIR", settings.stateDir().toString());
        env.put("SHOAL_GATEWAY_PORT", String.valueOf(settings.gatewayPort()));
        env.put("SHOAL_GATEWAY_MANAGEMENT_PORT", String.valueOf(settings.gatewayManagementPort()));
        env.put("SHOAL_IDENTITY_PORT", String.valueOf(settings.identityPort()));
        env.put("SHOAL_POST_PORT", String.valueOf(settings.postPort()));
        env.put("SHOAL_FEED_PORT", String.valueOf(settings.feedPort()));
        env.put("SHOAL_MODERATION_PORT", String.valueOf(settings.moderationPort()));
        env.put("SHOAL_AUDIT_PORT", String.valueOf(settings.auditPort()));
        env.put("SHOAL_KAFKA_PORT", String.valueOf(settings.kafkaPort()));
        env.put("SHOAL_KAFKA_CONTROLLER_PORT", String.valueOf(settings.kafkaControllerPort()));
        env.put("SHOAL_POSTGRES_PORT", String.valueOf(settings.postgresPort()));
        env.put("SHOAL_GATEWAY_HOST", settings.gatewayHost());
        return env;
    }

    Builds builds() {
        return builds;
    }

    Instances instances() {
        return instances;
    }

    Settings settings() {
        return settings;
    }

    boolean infrastructureUp() {
        return postgres.running() && kafka.answers();
    }

    /**
     * Starts a new build of a service beside the running one and moves the gateway's calls to it once it is ready
     * (see {@link Deploy}); {@code app} is a built {@code quarkus-app} directory, the module's own when null.
     */
    public void deploy(String name, Path app, PrintStream out) {
        ServiceSpec s = service(name);
        new Deploy(this, s).run(builds.copyOf(name, app == null ? s.app(settings.root()) : app), false, out);
    }

    /** Starts the build the last deploy replaced, moves the live projections back to its versions, then the traffic. */
    public void rollback(String name, PrintStream out) {
        ServiceSpec s = service(name);
        Path previous = instances.previous(name).orElseThrow(() -> new LaunchException(
                "no previous build of " + name + " is kept: rollback starts the build a deploy replaced"));
        if (!Files.isRegularFile(previous.resolve("quarkus-run.jar"))) {
            throw new LaunchException("the previous build of " + name + " (" + previous + ") is gone");
        }
        new Deploy(this, s).run(previous, true, out);
    }

    /** Starts whatever is not running yet; running parts are left alone, so calling it twice is harmless. */
    public void up(PrintStream out) {
        Map<String, Long> pids = readPids();
        preflight(pids);
        if (pids.containsKey(KafkaBroker.PROCESS) && Processes.ours(pids.get(KafkaBroker.PROCESS), KafkaBroker.PROCESS).isPresent()) {
            out.println("kafka              already running (pid " + pids.get(KafkaBroker.PROCESS) + ")");
        } else {
            out.println("kafka              starting on " + kafka.bootstrapServers());
            pids.put(KafkaBroker.PROCESS, kafka.start(settings.root(), log(KafkaBroker.PROCESS)).pid());
            writePids(pids);
        }
        if (postgres.running()) {
            out.println("postgres           already running on port " + postgres.port());
        } else {
            out.println("postgres           starting on 127.0.0.1:" + postgres.port());
            postgres.start(log("postgres"));
        }
        kafka.prepareLog();
        for (ServiceSpec s : services) {
            postgres.ensureDatabase(s.database(), s.database() + "_svc", secrets.get("db." + s.database()));
        }
        if (settings.humans()) {
            postgres.ensureDatabase(KEYCLOAK_DATABASE, KEYCLOAK_DATABASE + "_svc", secrets.get("db." + KEYCLOAK_DATABASE));
        }
        List<ServiceSpec> started = new ArrayList<>();
        for (ServiceSpec s : services) {
            Long pid = pids.get(s.name());
            if (pid != null && Processes.ours(pid, s.name()).isPresent()) {
                out.println(pad(s.name()) + " already running (pid " + pid + ")" + staleness(s));
                continue;
            }
            pids.put(s.name(), startService(s).pid());
            writePids(pids);
            started.add(s);
            out.println(pad(s.name()) + " starting on " + url(s));
        }
        for (ServiceSpec s : started) {
            Processes.await(s.name(), Duration.ofMinutes(3), null, log(s.name()), () -> ready(s));
        }
        for (ServiceSpec s : services) {
            Processes.await(s.name(), Duration.ofMinutes(3), null, log(s.name()), () -> ready(s));
        }
        // After the services, so the agent API is ready first; the gateway finds Keycloak when a human first signs in.
        if (settings.humans()) {
            Long pid = pids.get(Keycloak.PROCESS);
            if (pid != null && Processes.ours(pid, Keycloak.PROCESS).isPresent()) {
                out.println(pad(Keycloak.PROCESS) + " already running (pid " + pid + ")");
            } else {
                Process kc = keycloak.start(log(Keycloak.PROCESS), postgres.jdbcUrl(KEYCLOAK_DATABASE),
                        KEYCLOAK_DATABASE + "_svc", secrets.get("db." + KEYCLOAK_DATABASE), secrets.get("keycloak.admin"));
                pids.put(Keycloak.PROCESS, Keycloak.jvmPid(kc));
                writePids(pids);
                out.println(pad(Keycloak.PROCESS) + " starting on " + keycloak.url());
            }
        }
    }

    /**
     * Waits until Keycloak answers, then sets the realm up for this stack (see {@link Keycloak#configureRealm}) and
     * answers the demo login. Separate from {@link #up}: the agent API does not wait for the humans' sign-in.
     */
    public DemoLogin awaitHumans() {
        if (!settings.humans()) {
            throw new LaunchException("this stack runs without Keycloak");
        }
        Long pid = readPids().get(Keycloak.PROCESS);
        Processes.await(Keycloak.PROCESS, Duration.ofMinutes(3), null, log(Keycloak.PROCESS), () -> {
            if (pid == null || Processes.ours(pid, Keycloak.PROCESS).isEmpty()) {
                throw new LaunchException("Keycloak is not running; see " + log(Keycloak.PROCESS)
                        + Processes.tail(log(Keycloak.PROCESS)));
            }
            return keycloak.ready();
        });
        keycloak.configureRealm(secrets.get("keycloak.admin"), gatewayUrl(), secrets.get("keycloak.client"),
                secrets.get("keycloak.demo"));
        return new DemoLogin(gatewayUrl() + "/owner/agents", keycloak.issuer(), Keycloak.DEMO_USER, secrets.get("keycloak.demo"));
    }

    /** Where humans sign in, and the login generated for this stack. */
    public record DemoLogin(String signInUrl, String issuer, String username, String password) {
    }

    /** Keycloak, for tests that add humans of their own. */
    public Keycloak keycloak() {
        return keycloak;
    }

    /** The Keycloak admin's generated password (tests create users with it). */
    public String keycloakAdminPassword() {
        return secrets.get("keycloak.admin");
    }

    /** Refuses before starting anything when a port that something not yet running needs is taken. */
    private void preflight(Map<String, Long> pids) {
        if (!(pids.containsKey(KafkaBroker.PROCESS)
                && Processes.ours(pids.get(KafkaBroker.PROCESS), KafkaBroker.PROCESS).isPresent())) {
            Ports.requireFree(settings.kafkaPort(), "Kafka", "SHOAL_KAFKA_PORT");
            Ports.requireFree(settings.kafkaControllerPort(), "the Kafka controller", "SHOAL_KAFKA_CONTROLLER_PORT");
        }
        if (!postgres.running()) {
            Ports.requireFree(settings.postgresPort(), "PostgreSQL", "SHOAL_POSTGRES_PORT");
        }
        if (settings.humans() && !(pids.containsKey(Keycloak.PROCESS)
                && Processes.ours(pids.get(Keycloak.PROCESS), Keycloak.PROCESS).isPresent())) {
            Ports.requireFree(settings.keycloakPort(), "Keycloak", "SHOAL_KEYCLOAK_PORT");
            Ports.requireFree(settings.keycloakManagementPort(), "Keycloak's management interface",
                    "SHOAL_KEYCLOAK_MANAGEMENT_PORT");
        }
        for (ServiceSpec s : services) {
            Long pid = pids.get(s.name());
            if (pid == null || Processes.ours(pid, s.name()).isEmpty()) {
                Ports.requireFree(port(s), s.name(), portSetting(s));
                if (s.name().equals(GATEWAY)) {
                    Ports.requireFree(settings.gatewayManagementPort(), "the gateway's management interface",
                            "SHOAL_GATEWAY_MANAGEMENT_PORT");
                }
            }
        }
    }

    private static String portSetting(ServiceSpec s) {
        return "SHOAL_" + s.database().toUpperCase() + "_PORT";
    }

    /** Stops what {@link #up} started, by the pids it recorded, and nothing else. */
    public void down(PrintStream out) {
        Map<String, Long> pids = readPids();
        List<ServiceSpec> reversed = new ArrayList<>(services);
        java.util.Collections.reverse(reversed);
        for (ServiceSpec s : reversed) {
            stopRecorded(pids, s.name(), out);
            instances.next(s.name()).flatMap(n -> Processes.ours(n.pid(), s.name())).ifPresent(h -> {
                out.println(pad(s.name()) + " stopping the build a deploy had started (pid " + h.pid() + ")");
                Processes.stop(h, Duration.ofSeconds(30));
            });
            instances.retiring(s.name()).flatMap(pid -> Processes.ours(pid, s.name())).ifPresent(h -> {
                out.println(pad(s.name()) + " stopping the build a deploy replaced (pid " + h.pid() + ")");
                Processes.stop(h, Duration.ofSeconds(30));
            });
            instances.retired(s.name());
        }
        instances.forgetPorts();
        stopRecorded(pids, Keycloak.PROCESS, out);
        stopRecorded(pids, KafkaBroker.PROCESS, out);
        if (postgres.running()) {
            out.println("postgres           stopping");
            postgres.stop();
        }
        writePids(pids);
    }

    /** Kills a service without letting it shut down (kill -9), as a crash would. */
    public void crash(String name) {
        Map<String, Long> pids = readPids();
        Long pid = pids.get(name);
        Optional<ProcessHandle> h = pid == null ? Optional.empty() : Processes.ours(pid, name);
        h.ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        pids.remove(name);
        writePids(pids);
    }

    /** Stops the broker cleanly and leaves everything else running (the services retry until it is back). */
    public void stopBroker(PrintStream out) {
        Map<String, Long> pids = readPids();
        stopRecorded(pids, KafkaBroker.PROCESS, out);
        writePids(pids);
    }

    /** Starts the broker again after {@link #stopBroker}, on the same disk. */
    public void startBroker(PrintStream out) {
        Map<String, Long> pids = readPids();
        out.println("kafka              starting on " + kafka.bootstrapServers());
        pids.put(KafkaBroker.PROCESS, kafka.start(settings.root(), log(KafkaBroker.PROCESS)).pid());
        writePids(pids);
    }

    /** Starts one service again (after {@link #crash}), with extra configuration for this run only. */
    public void start(String name, Map<String, String> extra) {
        ServiceSpec s = service(name);
        Map<String, Long> pids = readPids();
        Process p = startService(s, extra);
        pids.put(name, p.pid());
        writePids(pids);
        Processes.await(name, Duration.ofMinutes(3), p, log(name), () -> ready(s));
    }

    public void status(PrintStream out) {
        Map<String, Long> pids = readPids();
        out.printf("%-16s %-8s %s%n", "NAME", "PID", "STATE");
        Long kpid = pids.get(KafkaBroker.PROCESS);
        boolean kAlive = kpid != null && Processes.ours(kpid, KafkaBroker.PROCESS).isPresent();
        out.printf("%-16s %-8s %s%n", "kafka", kAlive ? kpid : "-",
                kAlive ? (kafka.answers() ? "up " + kafka.bootstrapServers() : "starting") : "stopped");
        out.printf("%-16s %-8s %s%n", "postgres", "-", postgres.running() ? "up 127.0.0.1:" + postgres.port() : "stopped");
        if (settings.humans()) {
            Long kcpid = pids.get(Keycloak.PROCESS);
            boolean kcAlive = kcpid != null && Processes.ours(kcpid, Keycloak.PROCESS).isPresent();
            out.printf("%-16s %-8s %s%n", Keycloak.PROCESS, kcAlive ? kcpid : "-",
                    kcAlive ? (keycloak.ready() ? "up " + keycloak.url() : "starting") : "stopped");
        }
        for (ServiceSpec s : services) {
            Long pid = pids.get(s.name());
            boolean alive = pid != null && Processes.ours(pid, s.name()).isPresent();
            String state = !alive ? "stopped" : (ready(s) ? "up " + url(s) : "not ready")
                    + instances.build(s.name()).map(b -> " (build " + Builds.id(b) + ")").orElse("");
            out.printf("%-16s %-8s %s%n", s.name(), alive ? pid : "-", state);
            instances.next(s.name()).filter(n -> Processes.ours(n.pid(), s.name()).isPresent()).ifPresent(n ->
                    out.printf("%-16s %-8s %s%n", "", n.pid(), "next build " + Builds.id(n.build()) + " on "
                            + n.url() + (ready(n.url()) ? ", ready" : ", not ready yet") + " (a deploy under way: ./services "
                            + (n.rollback() ? "rollback " : "deploy ") + s.name() + " follows it)"));
            instances.previous(s.name()).ifPresent(b -> out.printf("%-16s %-8s %s%n", "", "",
                    "previous build " + Builds.id(b) + " (./services rollback " + s.name() + " starts it again)"));
            if (alive && s.hasProjections()) {
                JsonNode status = internalGet(s, "/internal/projections");
                if (status != null) {
                    for (JsonNode p : status.path("projections")) {
                        List<String> kept = new ArrayList<>();
                        p.path("retired").forEach(v -> kept.add("v" + v.asInt()));
                        JsonNode r = p.path("rebuild");
                        boolean building = r.isObject() && !r.path("finishedAt").isTextual();
                        out.printf("%-16s %-8s projection %s v%d (code version %d): lag %d%s%s%s%s%s%n", "", "",
                                p.path("projection").asText(), p.path("version").asInt(),
                                p.path("codeVersion").asInt(1), p.path("lag").asLong(),
                                p.path("building").asBoolean() ? "; built beside the live version (this build is"
                                        + " ready once it has caught up and taken the live version over)" : "",
                                building ? "; building " + progress(r) : "",
                                kept.isEmpty() ? "" : "; kept until gc: " + String.join(", ", kept),
                                skipped(p),
                                p.path("lastError").isTextual() ? " (" + p.path("lastError").asText() + ")" : "");
                    }
                }
            }
        }
    }

    /** What a projection did not apply, for {@code status}: empty when it applied everything. */
    private static String skipped(JsonNode p) {
        StringBuilder b = new StringBuilder();
        long unknown = p.path("unknownEvents").asLong();
        long malformed = p.path("malformedEvents").asLong();
        if (unknown + malformed > 0) {
            b.append(String.format("; skipped %,d events of unknown types, %,d malformed", unknown, malformed));
        }
        if (p.path("foreignEvents").asLong() > 0) {
            b.append(String.format("; refused %,d whose source does not own their topic",
                    p.path("foreignEvents").asLong()));
        }
        if (p.path("deadLetters").asLong() > 0) {
            b.append(String.format("; %,d set aside on shoal.deadletter", p.path("deadLetters").asLong()));
        }
        return b.toString();
    }

    /**
     * Rebuilds every projection of a service from offset 0 while the live one keeps serving, printing progress until
     * it has switched or failed.
     *
     * @return true when every projection was rebuilt equal to the live one and switched
     */
    /**
     * Rotates identity-service's key-encryption key ({@code ./services rotate-keys}) while it runs: a new key in
     * {@code .shoal/keys/identity-service.kek}, every data key wrapped again by it, the old key retired from the file.
     * Answers the new key's id.
     */
    public String rotateKeys(PrintStream out) {
        ServiceSpec s = service(IDENTITY);
        JsonNode r = internal(HttpRequest.newBuilder(URI.create(url(s) + "/internal/keys/rotate"))
                .POST(HttpRequest.BodyPublishers.noBody()), Duration.ofMinutes(30));
        if (r == null || !r.path("kekId").isTextual()) {
            throw new LaunchException("the rotation did not finish: " + (r == null ? "no answer; see " + log(IDENTITY)
                    : r.path("error").asText()));
        }
        out.println(pad(IDENTITY) + " every data key is wrapped by " + r.path("kekId").asText() + " now ("
                + r.path("rewrapped").asLong() + " wrapped again); retired " + r.path("retired"));
        return r.path("kekId").asText();
    }

    public boolean replay(String name, PrintStream out) {
        ServiceSpec s = service(name);
        if (name.equals(AUDIT)) {
            return replayAudit(s, out);
        }
        if (!s.hasProjections()) {
            throw new LaunchException(name + " has no projections to rebuild");
        }
        JsonNode started = internalPost(s, "/internal/projections/rebuild");
        if (started == null || !started.path("success").asBoolean()) {
            throw new LaunchException("the rebuild did not start: " + (started == null ? "no answer" : started.path("error").asText()));
        }
        List<String> names = new ArrayList<>();
        started.path("rebuilds").forEach(r -> names.add(r.path("projection").asText()));
        Map<String, JsonNode> done = new LinkedHashMap<>();
        long lastPrint = 0;
        while (done.size() < names.size()) {
            JsonNode status = internalGet(s, "/internal/projections");
            if (status == null) {
                throw new LaunchException(name + " stopped answering during the rebuild; see " + log(name));
            }
            for (JsonNode p : status.path("projections")) {
                JsonNode r = p.path("rebuild");
                String proj = p.path("projection").asText();
                if (!names.contains(proj) || r.isMissingNode() || r.isNull() || done.containsKey(proj)) {
                    continue;
                }
                boolean finished = r.path("finishedAt").isTextual();
                if (finished) {
                    done.put(proj, r);
                    out.print("\r\033[K");
                    out.println(summary(r));
                } else if (System.currentTimeMillis() - lastPrint > 300) {
                    out.print("\r\033[K" + progress(r));
                    out.flush();
                    lastPrint = System.currentTimeMillis();
                }
            }
            sleep(250);
        }
        return done.values().stream().allMatch(r -> "SWITCHED".equals(r.path("phase").asText()));
    }

    /**
     * audit-service's index is not a versioned projection but the commitment to the log itself: its replay rebuilds it
     * from offset 0 beside the live one and compares the two over the same records; nothing is switched or signed.
     */
    private boolean replayAudit(ServiceSpec s, PrintStream out) {
        JsonNode started = internalPost(s, "/internal/audit/replay");
        if (started == null || !started.path("phase").isTextual()) {
            throw new LaunchException("the replay did not start: " + (started == null ? "no answer; see " + log(AUDIT)
                    : started.path("error").asText()));
        }
        long lastPrint = 0;
        while (true) {
            JsonNode r = internalGet(s, "/internal/audit/replay");
            if (r == null) {
                throw new LaunchException(AUDIT + " stopped answering during the replay; see " + log(AUDIT));
            }
            if (r.path("finishedAt").isTextual()) {
                long millis = Duration.between(java.time.Instant.parse(r.path("startedAt").asText()),
                        java.time.Instant.parse(r.path("finishedAt").asText())).toMillis();
                out.print("\r\033[K");
                out.printf("audit index %s: %,d records in %.2f s, %,.0f records/s; %s%n", r.path("phase").asText(),
                        r.path("recordsRead").asLong(), millis / 1000.0, r.path("recordsPerSecond").asDouble(),
                        r.path("message").asText());
                return "EQUAL".equals(r.path("phase").asText());
            }
            if (System.currentTimeMillis() - lastPrint > 300) {
                long total = r.path("recordsTotal").asLong(-1);
                long eta = r.path("etaSeconds").asLong(-1);
                out.print("\r\033[K" + String.format("audit index %s: %,d of %s records, %,.0f records/s, ETA %s",
                        r.path("phase").asText().toLowerCase().replace('_', ' '), r.path("recordsRead").asLong(),
                        total < 0 ? "?" : String.format("%,d", total), r.path("recordsPerSecond").asDouble(),
                        eta < 0 ? "?" : eta + "s"));
                out.flush();
                lastPrint = System.currentTimeMillis();
            }
            sleep(250);
        }
    }

    /**
     * Rebuilds a service's own tables from its own topics, for a database that was lost: stops the service, makes
     * sure its database holds nothing it wrote (with {@code wipe}, drops the database first, unless its outbox still
     * holds events not yet on the log), starts it, and follows the restore until the service is ready. A restore that
     * stopped half-way (a crash) is continued from its last batch, not started again.
     */
    public void restore(String name, boolean wipe, PrintStream out) {
        restore(name, wipe, Map.of(), out);
    }

    /**
     * The data keys of private messages are not on the log (that is what lets erasure erase): dropping a database
     * that holds live ones would make every message in it unreadable, so the wipe is refused until they are backed
     * up apart and the table emptied by the operator who means it.
     */
    private void requireNoLiveDataKeys(ServiceSpec s) {
        if (!s.name().equals(IDENTITY)) {
            return;
        }
        long live = count(s, "SELECT count(*) FROM data_key WHERE wrapped IS NOT NULL");
        if (live > 0) {
            throw new LaunchException(s.name() + "'s database holds " + live + " live data keys of private messages,"
                    + " which the log does not carry: dropping it would make every message unreadable. Back up"
                    + " table data_key (pg_dump -t data_key) and the key file .shoal/keys/" + s.name() + ".kek first;"
                    + " the wipe goes ahead only once data_key holds no live key");
        }
    }

    /** {@link #restore(String, boolean, PrintStream)} with extra configuration for this start of the service. */
    public void restore(String name, boolean wipe, Map<String, String> extra, PrintStream out) {
        ServiceSpec s = service(name);
        if (!s.ownsAggregates()) {
            throw new LaunchException(name + " owns no tables of its own; its read models are rebuilt with"
                    + " ./services replay " + name);
        }
        if (!postgres.running() || !kafka.answers()) {
            throw new LaunchException("Shoal is not up: run ./services up, then restore");
        }
        // Everything that can refuse is checked while the service still runs: a refusal changes nothing.
        postgres.ensureDatabase(s.database(), s.database() + "_svc", secrets.get("db." + s.database()));
        long written = count(s, "SELECT count(*) FROM event_stream");
        boolean unfinished = count(s, "SELECT count(*) FROM own_restore") == 0
                && count(s, "SELECT count(*) FROM own_restore_offset") > 0;
        boolean drop = written > 0 && !(unfinished && !wipe);
        if (drop && !wipe) {
            throw new LaunchException(name + "'s database holds its tables (" + written + " streams): restore"
                    + " rebuilds a lost one. To rebuild it from the log anyway: ./services restore " + name
                    + " --wipe (drops the database " + s.database() + " first)");
        }
        if (drop) {
            requireOutboxPublished(s);
            requireNoLiveDataKeys(s);
        }
        Map<String, Long> pids = readPids();
        stopRecorded(pids, name, out);
        writePids(pids);
        if (drop) {
            requireOutboxPublished(s); // what the relay had in hand when it stopped
            out.println(pad(name) + " dropping its database " + s.database());
            postgres.dropDatabase(s.database());
            postgres.ensureDatabase(s.database(), s.database() + "_svc", secrets.get("db." + s.database()));
        } else if (unfinished) {
            out.println(pad(name) + " goes on with the restore that stopped after "
                    + count(s, "SELECT coalesce(sum(next_offset), 0) FROM own_restore_offset") + " records");
        }
        Process p = startService(s, extra);
        pids.put(name, p.pid());
        writePids(pids);
        out.println(pad(name) + " starting on " + url(s) + " to restore its tables from the log");
        long lastPrint = 0;
        long failingSince = 0;
        while (true) {
            if (!p.isAlive()) {
                throw new LaunchException(name + " stopped during the restore; see " + log(name));
            }
            JsonNode r = internalGet(s, "/internal/restore");
            boolean failing = r != null && "FAILED".equals(r.path("phase").asText());
            failingSince = failing ? (failingSince == 0 ? System.currentTimeMillis() : failingSince) : 0;
            if (failing && System.currentTimeMillis() - failingSince > Duration.ofMinutes(2).toMillis()) {
                out.println();
                throw new LaunchException(name + "'s restore keeps failing (" + r.path("message").asText() + "); it"
                        + " goes on trying while it runs, and a rerun goes on from its last batch. See " + log(name));
            }
            if (r != null && "RESTORED".equals(r.path("phase").asText())) {
                out.print("\r\033[K");
                out.println(pad(name) + " " + r.path("message").asText() + String.format(" (%,.0f events/s)",
                        r.path("eventsPerSecond").asDouble()));
                break;
            }
            if (r != null && System.currentTimeMillis() - lastPrint > 300) {
                out.print("\r\033[K" + name + " " + r.path("phase").asText().toLowerCase() + ": " + rate(r)
                        + (failing ? " — " + r.path("message").asText() : ""));
                out.flush();
                lastPrint = System.currentTimeMillis();
            }
            sleep(250);
        }
        Processes.await(name, Duration.ofMinutes(3), p, log(name), () -> ready(s));
        out.println(pad(name) + " ready");
    }

    private void requireOutboxPublished(ServiceSpec s) {
        long unsent = count(s, "SELECT count(*) FROM outbox WHERE published_at IS NULL");
        if (unsent > 0) {
            throw new LaunchException(unsent + " events in " + s.name() + "'s outbox are not on the log yet: let its"
                    + " relay publish them (./services up starts it if it is stopped), then restore");
        }
    }

    /** A connection to a service's database as its superuser, for operators' checks and the tests. */
    public java.sql.Connection superuser(String name) throws java.sql.SQLException {
        return postgres.superuser(service(name).database());
    }

    /** One number from the service's database, as its superuser; 0 when the table does not exist yet. */
    private long count(ServiceSpec s, String sql) {
        try (java.sql.Connection c = postgres.superuser(s.database()); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined table: a database never migrated
                return 0;
            }
            throw new LaunchException("cannot read " + s.database() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops the schemas a switch kept from the versions it replaced, on the named services (every one with projections
     * when none is named). Run it once every replica shows the live version in {@code ./services status}.
     */
    public void gc(List<String> names, PrintStream out) {
        List<ServiceSpec> chosen = names.isEmpty() ? services.stream().filter(ServiceSpec::hasProjections).toList()
                : names.stream().map(this::service).toList();
        for (ServiceSpec s : chosen) {
            if (!s.hasProjections()) {
                throw new LaunchException(s.name() + " has no projections");
            }
            JsonNode r = internalPost(s, "/internal/projections/gc");
            if (r == null || !r.path("success").asBoolean()) {
                throw new LaunchException(s.name() + " did not collect: "
                        + (r == null ? "no answer" : r.path("error").asText()));
            }
            List<String> dropped = new ArrayList<>();
            r.path("dropped").forEach(d -> dropped.add(d.asText()));
            out.println(pad(s.name()) + " "
                    + (dropped.isEmpty() ? "nothing to drop" : "dropped " + String.join(", ", dropped)));
        }
    }

    static String progress(JsonNode r) {
        return String.format("%s v%d→v%d %s: %s", r.path("projection").asText(), r.path("fromVersion").asInt(),
                r.path("toVersion").asInt(), r.path("phase").asText().toLowerCase().replace('_', ' '), rate(r));
    }

    /** How far a rebuild or a restore is, from the fields both report: applied, left, rate, ETA. */
    private static String rate(JsonNode r) {
        long left = r.path("eventsLeft").asLong(-1);
        long eta = r.path("etaSeconds").asLong(-1);
        return String.format("%,d events applied, %s left, %,.0f events/s, ETA %s", r.path("eventsApplied").asLong(),
                left < 0 ? "?" : String.format("%,d", left), r.path("eventsPerSecond").asDouble(),
                eta < 0 ? "?" : eta + "s");
    }

    static String summary(JsonNode r) {
        long millis = Duration.between(java.time.Instant.parse(r.path("startedAt").asText()),
                java.time.Instant.parse(r.path("finishedAt").asText())).toMillis();
        return String.format("%s v%d→v%d %s: %,d events in %.2f s, %,.0f events/s; %s",
                r.path("projection").asText(), r.path("fromVersion").asInt(), r.path("toVersion").asInt(),
                r.path("phase").asText(), r.path("eventsApplied").asLong(), millis / 1000.0,
                r.path("eventsPerSecond").asDouble(), r.path("message").asText());
    }

    /** How many records a service's projections have still to apply, summed; -1 when it does not answer. */
    public long projectionLag(String name) {
        return sumOverProjections(name, "lag");
    }

    /** How many events a service's projections set aside on the dead-letter topic, summed; -1 when it does not answer. */
    public long projectionDeadLetters(String name) {
        return sumOverProjections(name, "deadLetters");
    }

    /** A number field of each projection's status on a service, summed; -1 when it does not answer or one is unknown. */
    private long sumOverProjections(String name, String field) {
        JsonNode status = internalGet(service(name), "/internal/projections");
        if (status == null) {
            return -1;
        }
        long sum = 0;
        for (JsonNode p : status.path("projections")) {
            long v = p.path(field).asLong(-1);
            if (v < 0) {
                return -1;
            }
            sum += v;
        }
        return sum;
    }

    /** The log of a process: a service's current instance's (one on its twin port logs to {@code name.port.log}). */
    public Path log(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .map(s -> log(s, port(s))).orElse(settings.stateDir().resolve("logs").resolve(name + ".log"));
    }

    Path log(ServiceSpec s, int port) {
        return settings.stateDir().resolve("logs").resolve(port == s.port() ? s.name() + ".log"
                : s.name() + "." + port + ".log");
    }

    /** The port a service's current instance answers on. */
    int port(ServiceSpec s) {
        return instances.port(s.name()).orElse(s.port());
    }

    /** The base URL of a service's current instance. */
    public String url(ServiceSpec s) {
        return "http://127.0.0.1:" + port(s);
    }

    private Process startService(ServiceSpec s) {
        return startService(s, Map.of());
    }

    /**
     * Starts a service where it runs, and records it: with the build it ran since the last {@code up} (a deploy or a
     * rollback chose it; a crash does not change it), or, the first time after {@code down}, the working tree's
     * build (a copy of what {@code target/} holds).
     */
    private Process startService(ServiceSpec s, Map<String, String> extra) {
        Path build = instances.port(s.name()).flatMap(p -> instances.build(s.name()))
                .filter(b -> Files.isRegularFile(b.resolve("quarkus-run.jar")))
                .orElseGet(() -> builds.copyOf(s.name(), s.app(settings.root())));
        Instances.Instance at = new Instances.Instance(port(s), build);
        Ports.requireFree(at.port(), s.name(), portSetting(s));
        Process p = startInstance(s, at, extra, false);
        instances.live(s.name(), at, null);
        return p;
    }

    /** Starts one instance of a service: a build, on a port, with extra configuration for this start only. */
    /** @param background at a lower CPU priority ({@link Processes#serve} raises it): a build made beside the live one */
    Process startInstance(ServiceSpec s, Instances.Instance at, Map<String, String> extra, boolean background) {
        Path jar = at.build().resolve("quarkus-run.jar");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.port", String.valueOf(at.port()));
        // Stopped (a deploy's old instance, down), it first finishes the calls it has, for up to this long.
        props.put("quarkus.shutdown.timeout", "10S");
        props.put("quarkus.http.host", s.name().equals(GATEWAY) ? settings.gatewayHost() : "127.0.0.1");
        props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(s.database()));
        if (s.ownsAggregates()) {
            props.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(s.database()));
        }
        props.put("quarkus.datasource.username", s.database() + "_svc");
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("shoal.public-url", gatewayUrl());
        props.put("shoal.services.identity-url", url(service(IDENTITY)));
        props.put("shoal.services.post-url", url(service(POST)));
        props.put("shoal.services.feed-url", url(service(FEED)));
        props.put("shoal.services.moderation-url", url(service(MODERATION)));
        props.put("shoal.services.audit-url", url(service(AUDIT)));
        if (s.name().equals(GATEWAY)) {
            props.put("quarkus.management.port", String.valueOf(settings.gatewayManagementPort()));
            if (settings.humans()) {
                props.put("quarkus.oidc.auth-server-url", keycloak.issuer());
                props.put("quarkus.oidc.client-id", Keycloak.CLIENT);
            } else {
                props.put("quarkus.oidc.tenant-enabled", "false");
                props.put("quarkus.oidc.auth-server-url", "http://127.0.0.1:1/realms/shoal"); // never asked
            }
        }
        props.putAll(settings.overrides().getOrDefault(s.name(), Map.of()));
        props.putAll(extra);
        List<String> cmd = new ArrayList<>();
        if (background) {
            cmd.addAll(Processes.background());
        }
        cmd.add(Processes.java());
        cmd.addAll(javaOptions(s));
        cmd.add(Processes.MARKER + s.name());
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_PASSWORD", secrets.get("db." + s.database()));
        env.put("SHOAL_KAFKA_PASSWORD", kafka.password(s.name()));
        // Each internal caller has its own token; the services keep only their hashes.
        env.put("SHOAL_INTERNAL_CALLERS_GATEWAY", sha256(secrets.get("internal.gateway")));
        env.put("SHOAL_INTERNAL_CALLERS_OPERATOR", sha256(internalToken()));
        if (s.name().equals(GATEWAY)) {
            env.put("SHOAL_INTERNAL_TOKEN", secrets.get("internal.gateway"));
            if (settings.humans()) {
                env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", secrets.get("keycloak.client"));
                // The sign-in state cookie and the session cookie are encrypted with keys of their own.
                env.put("QUARKUS_OIDC_AUTHENTICATION_STATE_SECRET", secrets.get("gateway.oidc-state"));
                env.put("QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET", secrets.get("gateway.oidc-session"));
            }
        }
        env.put("SHOAL_API_KEYS_HMAC_SECRET", secrets.get("apikey.hmac"));
        if (s.name().equals(IDENTITY)) {
            // Wraps the data keys of direct messages; made by the service at its first start, mode 600.
            env.put("SHOAL_KEYS_KEK_FILE", settings.stateDir().toAbsolutePath().resolve("keys").resolve(s.name() + ".kek").toString());
        }
        if (s.name().equals(AUDIT)) {
            // Signs checkpoints; made by the service at its first start, mode 600, its public half beside it (.pub).
            env.put("SHOAL_AUDIT_SIGNING_KEY_FILE", auditKeyFile().toString());
            env.put("SHOAL_AUDIT_CHECKPOINT_FILE", auditCheckpointFile().toString());
        }
        if (s.name().equals(POST)) {
            // Verification challenges' puzzles and answer hashes are keyed by it: post-service alone holds it.
            env.put("SHOAL_VERIFICATION_SECRET", secrets.get("verification.secret"));
        }
        return Processes.start(cmd, env, log(s, at.port()), settings.stateDir());
    }

    /**
     * {@code ./services audit verify}: every topic re-read from the broker and checked against every signed
     * checkpoint, with the public key alone (audit-service's stored leaves only narrow a finding down to its offset,
     * once they rebuild a signed root). True when everything holds.
     */
    public boolean auditVerify(PrintStream out) {
        return auditVerify(null, out);
    }

    /** The same with the public key in {@code keyFile} (PEM), kept apart from the service; null: the service's. */
    public boolean auditVerify(Path keyFile, PrintStream out) {
        java.security.PublicKey key = auditKey(keyFile);
        out.println("Verifying the log against the checkpoints signed by key "
                + dev.shoal.events.audit.Checkpoint.keyId(key) + " (" + (keyFile != null ? keyFile
                : auditPublicKeyFile()) + ")");
        ServiceSpec audit = service(AUDIT);
        AuditVerifier.Result r;
        try {
            r = new AuditVerifier(kafka.clientConfig(KafkaBroker.ADMIN), key, auditCheckpointFile(),
                    AuditVerifier.fromService(path -> internalGet(url(audit), path)), out).verify();
        } catch (IOException e) {
            throw new LaunchException("cannot read the checkpoints: " + e.getMessage(), e);
        }
        AuditVerifier.report(r, out);
        return r.holds();
    }

    /**
     * An export checked offline: its checkpoint and manifest signed by the audit key, every line the bytes its
     * manifest leaf hashes, every leaf in the checkpoint's tree. True when it holds; each finding names its place.
     */
    public boolean auditVerifyExport(Path export, PrintStream out) {
        return auditVerifyExport(export, null, out);
    }

    /** The same with the public key in {@code keyFile} (PEM); null: the one beside audit-service's key. */
    public boolean auditVerifyExport(Path export, Path keyFile, PrintStream out) {
        java.security.PublicKey key = auditKey(keyFile);
        List<String> lines;
        try {
            lines = Files.readAllLines(export);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + export + ": " + e.getMessage(), e);
        }
        List<String> findings = dev.shoal.events.audit.AuditExport.verify(key, lines);
        if (findings.isEmpty()) {
            out.println("The export holds: " + (lines.stream().filter(l -> !l.isBlank()).count() - 1) + " records,"
                    + " each as stored and in the log checkpoint signed by key "
                    + dev.shoal.events.audit.Checkpoint.keyId(key) + ".");
            return true;
        }
        out.println(findings.size() + " finding(s):");
        findings.forEach(f -> out.println("  " + f));
        return false;
    }

    /** {@code ./services audit export k=v …}: the answer of audit-service's export to standard output. */
    public void auditExport(List<String> filters, PrintStream out) {
        StringBuilder query = new StringBuilder();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new LaunchException("filters are name=value: actor, subject, type, correlation_id, since, until,"
                        + " limit");
            }
            query.append(query.isEmpty() ? "?" : "&").append(f, 0, eq).append('=')
                    .append(java.net.URLEncoder.encode(f.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(service(AUDIT))
                            + "/internal/audit/export" + query)).header("X-Shoal-Internal-Token", internalToken())
                    .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new LaunchException("audit-service answered " + r.statusCode() + ": " + r.body());
            }
            out.print(r.body());
        } catch (IOException e) {
            throw new LaunchException("audit-service does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }

    private java.security.PublicKey auditKey(Path keyFile) {
        if (keyFile == null && !Files.exists(auditPublicKeyFile())) {
            throw new LaunchException("no audit key at " + auditPublicKeyFile() + ": audit-service makes it at its"
                    + " first start (./services up), or pass --key with the public key");
        }
        try {
            return dev.shoal.events.audit.Checkpoint.publicKey(Files.readString(keyFile != null ? keyFile
                    : auditPublicKeyFile()));
        } catch (IOException | IllegalArgumentException e) {
            throw new LaunchException("cannot read the audit public key: " + e.getMessage(), e);
        }
    }

    /** The checkpoints' public key as PEM, as audit-service wrote it at its start. */
    public String auditPublicKey() {
        Path pub = auditPublicKeyFile();
        try {
            return Files.exists(pub) ? Files.readString(pub)
                    : "(not made yet: audit-service makes it at its first start)\n";
        } catch (IOException e) {
            throw new LaunchException("cannot read " + pub + ": " + e.getMessage(), e);
        }
    }

    /** The key file that signs checkpoints (its public half is this path with {@code .pub}). */
    public Path auditKeyFile() {
        return settings.stateDir().toAbsolutePath().resolve("keys").resolve(AUDIT + ".ed25519");
    }

    /** The public half of the checkpoints' key, as audit-service writes it beside the private one. */
    private Path auditPublicKeyFile() {
        return auditKeyFile().resolveSibling(auditKeyFile().getFileName() + ".pub");
    }

    /**
     * Where every checkpoint is appended besides the topic: a file the broker's hosts do not hold, so rewriting the log
     * and what was signed about it are two separate breaches, and either alone is found.
     */
    public Path auditCheckpointFile() {
        return settings.stateDir().toAbsolutePath().resolve("audit").resolve("checkpoints.jsonl");
    }

    /**
     * What {@code up} says of a service it leaves running: nothing when it runs the tree's build, else that it runs
     * an older one and how to move to the new one (a running service is never restarted behind the user's back).
     */
    private String staleness(ServiceSpec s) {
        Optional<String> running = instances.build(s.name()).map(Builds::id);
        Optional<String> tree = Builds.idOfBuilt(s.app(settings.root()));
        if (running.isEmpty() || tree.isEmpty() || running.get().equals(tree.get())) {
            return "";
        }
        return "; it runs build " + running.get() + ", older than the tree's " + tree.get() + ": run "
                + (s.name().equals(GATEWAY) ? "./services down && ./services up" : "./services deploy " + s.name())
                + " to run the new one";
    }

    /** The JVM options every service runs with unless {@code shoal.services.java-options} says otherwise. */
    static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-Xmx384m", "-XX:+UseParallelGC");

    /**
     * A service's JVM options: the defaults, then those of {@code shoal.services.java-options} (a system property of
     * the launcher, or {@code SHOAL_SERVICE_JAVA_OPTIONS}), which win; naming a collector replaces the default one
     * (a JVM refuses two). {@code %s} in them stands for the service's name (a GC log of its own, say).
     */
    static List<String> javaOptions(ServiceSpec s) {
        String extra = System.getProperty("shoal.services.java-options", System.getenv("SHOAL_SERVICE_JAVA_OPTIONS"));
        List<String> options = new ArrayList<>(DEFAULT_JAVA_OPTIONS);
        if (extra == null || extra.isBlank()) {
            return options;
        }
        List<String> more = List.of(extra.trim().replace("%s", s.name()).split("\\s+"));
        if (more.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            options.removeIf(o -> o.matches("-XX:\\+Use\\w+GC"));
        }
        options.addAll(more);
        return options;
    }

    private static String sha256(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean ready(ServiceSpec s) {
        return ready(healthUrl(s));
    }

    /**
     * Where a service answers {@code /q/health}: the gateway on its management interface (its public port shows no
     * health details), the others where they serve, which only this host reaches.
     */
    public String healthUrl(ServiceSpec s) {
        return s.name().equals(GATEWAY) ? "http://127.0.0.1:" + settings.gatewayManagementPort() : url(s);
    }

    boolean ready(String baseUrl) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode internalGet(ServiceSpec s, String path) {
        return internalGet(url(s), path);
    }

    private JsonNode internalPost(ServiceSpec s, String path) {
        return internalPost(url(s), path);
    }

    JsonNode internalGet(String baseUrl, String path) {
        return internal(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    JsonNode internalPost(String baseUrl, String path) {
        return internal(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode internalPut(String baseUrl, String path, String json) {
        return internal(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private JsonNode internal(HttpRequest.Builder b) {
        return internal(b, Duration.ofSeconds(10));
    }

    private JsonNode internal(HttpRequest.Builder b, Duration timeout) {
        try {
            HttpResponse<String> r = http.send(b.header("X-Shoal-Internal-Token", internalToken())
                    .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void stopRecorded(Map<String, Long> pids, String name, PrintStream out) {
        Long pid = pids.remove(name);
        if (pid == null) {
            return;
        }
        Optional<ProcessHandle> h = Processes.ours(pid, name);
        if (h.isPresent()) {
            out.println(pad(name) + " stopping (pid " + pid + ")");
            Processes.stop(h.get(), Duration.ofSeconds(30));
        }
    }

    Map<String, Long> readPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        Path f = settings.stateDir().resolve("pids.properties");
        if (Files.exists(f)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            } catch (IOException e) {
                throw new LaunchException("cannot read " + f, e);
            }
            p.forEach((k, v) -> pids.put((String) k, Long.parseLong((String) v)));
        }
        return pids;
    }

    void writePids(Map<String, Long> pids) {
        Path f = settings.stateDir().resolve("pids.properties");
        Properties p = new Properties();
        pids.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        try {
            Files.createDirectories(f.getParent());
            try (Writer w = Files.newBufferedWriter(f)) {
                p.store(w, "processes started by ./services up");
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + f, e);
        }
    }

    static String pad(String s) {
        return String.format("%-18s", s); // the longest name, moderation-service, and a space
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
