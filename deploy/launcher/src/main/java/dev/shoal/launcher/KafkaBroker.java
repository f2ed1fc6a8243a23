package dev.shoal.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (combined broker and controller), run as its own JVM from the jars Maven
 * resolved for {@code deploy/kafka-broker}.
 */
public final class KafkaBroker {
    public static final String PROCESS = "kafka";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private final String heap;

    public KafkaBroker(Path dataDir, int port, int controllerPort, int partitions, String heap) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.partitions = partitions;
        this.heap = heap;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Formats the storage on first use and starts the broker; returns once it answers. */
    public Process start(Path root, Path log) {
        Ports.requireFree(port, "Kafka", "SHOAL_KAFKA_PORT");
        Ports.requireFree(controllerPort, "the Kafka controller", "SHOAL_KAFKA_CONTROLLER_PORT");
        String classpath = classpath(root);
        Path config = writeConfig();
        Path logs = dataDir.resolve("logs");
        if (!Files.exists(logs.resolve("meta.properties"))) {
            Processes.run(List.of(Processes.java(), "-cp", classpath, "-Dlog4j2.configurationFile=" + log4j(),
                    "kafka.tools.StorageTool", "format", "--config", config.toString(),
                    "--cluster-id", Uuid.randomUuid().toString(), "--ignore-formatted"), Duration.ofMinutes(2));
        }
        List<String> cmd = new ArrayList<>(List.of(Processes.java(), "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                Processes.MARKER + PROCESS, "-Dlog4j2.configurationFile=" + log4j(),
                "-Djava.awt.headless=true", "-cp", classpath, "kafka.Kafka", config.toString()));
        Process p = Processes.start(cmd, log, dataDir);
        Processes.await("Kafka", Duration.ofMinutes(2), p, log, this::answers);
        return p;
    }

    /** Creates the topics that are missing, with the log's configuration (kept forever, keyed, not compacted). */
    public void createTopics(List<String> names, Map<String, String> config) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1).configs(config)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new LaunchException("cannot create topics: " + e.getCause().getMessage(), e);
        } catch (Exception e) {
            throw new LaunchException("cannot create topics: " + e, e);
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(p);
    }

    public boolean answers() {
        if (!Ports.inUse(port)) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static String classpath(Path root) {
        Path file = root.resolve("deploy/kafka-broker/target/kafka-broker.classpath");
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new LaunchException("the Kafka broker's classpath is missing (" + file
                    + "); build first: ./mvnw -DskipTests install", e);
        }
    }

    private Path writeConfig() {
        try {
            Files.createDirectories(dataDir.resolve("logs"));
            String listeners = "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
            String props = String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=" + listeners,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dataDir.resolve("logs"),
                    "num.partitions=" + partitions,
                    "auto.create.topics.enable=false",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "log.retention.ms=-1",
                    "") ;
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, props);
            return config;
        } catch (IOException e) {
            throw new LaunchException("cannot write Kafka's configuration in " + dataDir, e);
        }
    }

    private Path log4j() {
        Path f = dataDir.resolve("log4j2.properties");
        try {
            Files.createDirectories(dataDir);
            Files.writeString(f, String.join("\n",
                    "status = warn",
                    "appender.out.type = Console",
                    "appender.out.name = out",
                    "appender.out.layout.type = PatternLayout",
                    "appender.out.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
                    "rootLogger.level = warn",
                    "rootLogger.appenderRef.out.ref = out",
                    "logger.kafka.name = kafka.server.KafkaRaftServer",
                    "logger.kafka.level = info",
                    ""));
        } catch (IOException e) {
            throw new LaunchException("cannot write " + f, e);
        }
        return f;
    }
}
