package dev.shoal.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.shoal.launcher.KafkaBroker;
import dev.shoal.launcher.Ports;
import dev.shoal.launcher.Postgres;
import dev.shoal.launcher.ProjectRoot;

/**
 * One real Kafka broker and one real PostgreSQL for the whole test JVM, started on first use on free ports in a
 * temporary directory, and stopped and removed when the JVM exits. Started by the launcher's own code, so tests
 * run what {@code ./services up} runs.
 */
public final class SharedInfra {
    /** A database of its own for one test suite, with its own login role. */
    public record Database(String jdbcUrl, String reactiveUrl, String username, String password) {
    }

    private static SharedInfra instance;

    private final Path dir;
    private final KafkaBroker kafka;
    private final Postgres postgres;
    private final String password = UUID.randomUUID().toString();
    private final Map<String, String> kafkaPasswords = new ConcurrentHashMap<>();
    private Process kafkaProcess;

    private SharedInfra() throws IOException {
        dir = Files.createTempDirectory("shoal-test-");
        // PostgreSQL runs as its own user and must be able to reach its data directory below this one.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        kafka = new KafkaBroker(dir.resolve("kafka"), Ports.free(), Ports.free(), 3, "384m",
                principal -> kafkaPasswords.computeIfAbsent(principal, p -> UUID.randomUUID().toString()));
        postgres = new Postgres(dir.resolve("postgres"), Ports.free(), password, false);
    }

    public static synchronized SharedInfra get() {
        if (instance == null) {
            try {
                SharedInfra infra = new SharedInfra();
                Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "shoal-test-infra-stop"));
                infra.start();
                instance = infra;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test infrastructure", e);
            }
        }
        return instance;
    }

    private void start() {
        kafkaProcess = kafka.start(ProjectRoot.find(), dir.resolve("kafka.log"));
        kafka.prepareLog();
        postgres.start(dir.resolve("postgres.log"));
    }

    /** Where the broker listens; a client also needs a login: {@link #kafkaAdmin()} or {@link #kafkaAs}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** A Kafka client's settings as the super user: for tests that write crafted records or read any topic. */
    public Map<String, Object> kafkaAdmin() {
        return kafka.clientConfig(KafkaBroker.ADMIN);
    }

    /** A Kafka client's settings as one service (its principal, {@code identity-service} for example). */
    public Map<String, Object> kafkaAs(String principal) {
        return kafka.clientConfig(principal);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public synchronized Database database(String name) {
        String role = name + "_svc";
        postgres.ensureDatabase(name, role, password);
        return new Database(postgres.jdbcUrl(name), postgres.reactiveUrl(name), role, password);
    }

    private void stop() {
        if (kafkaProcess != null) {
            kafkaProcess.destroy();
            try {
                kafkaProcess.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            postgres.stop();
        } catch (RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
