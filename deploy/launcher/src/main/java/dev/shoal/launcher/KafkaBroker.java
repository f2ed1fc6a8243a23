package dev.shoal.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.shoal.events.Topic;

/**
 * A real Kafka broker in KRaft mode (combined broker and controller), run as its own JVM from the jars Maven
 * resolved for {@code deploy/kafka-broker}.
 *
 * <p>Nobody reaches it without a login. Each service logs in as itself with SCRAM-SHA-512 and may write only the
 * topics it owns ({@link Topic#owner()}) and read only those it consumes ({@link KafkaAccess}); anything without an
 * ACL is refused. {@link #ADMIN} (the broker itself, the launcher and the tests' tools) is the one super user and
 * logs in with PLAIN against a password that only the broker's owner-only configuration holds, so no password ever
 * appears on a command line and no credential has to be bootstrapped into the metadata before the first start.
 */
public final class KafkaBroker {
    public static final String PROCESS = "kafka";
    /** The broker's own principal, and the operator's. */
    public static final String ADMIN = "shoal-admin";
    private static final String SCRAM = "SCRAM-SHA-512";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private final String heap;
    private final UnaryOperator<String> passwords;

    /** @param passwords each principal's password, by name: the same answer every time for one name */
    public KafkaBroker(Path dataDir, int port, int controllerPort, int partitions, String heap,
                       UnaryOperator<String> passwords) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.partitions = partitions;
        this.heap = heap;
        this.passwords = passwords;
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

    /**
     * Makes the log ready for the services: creates the topics that are missing, with the log's configuration (kept
     * forever, keyed, not compacted), and gives every service its login and its ACLs. Running it again changes
     * nothing but what is missing.
     */
    public void prepareLog() {
        List<String> names = new ArrayList<>(Topic.allIds());
        names.add(Topic.DEAD_LETTERS);
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1).configs(Topic.CONFIG)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            List<UserScramCredentialAlteration> logins = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (KafkaAccess.Grant g : KafkaAccess.GRANTS) {
                logins.add(new UserScramCredentialUpsertion(g.principal(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), passwords.apply(g.principal())));
                for (String topic : g.writes()) {
                    acls.add(allow(g.principal(), topic, AclOperation.WRITE));
                    acls.add(allow(g.principal(), topic, AclOperation.DESCRIBE));
                }
                for (String topic : g.reads()) {
                    acls.add(allow(g.principal(), topic, AclOperation.READ));
                    acls.add(allow(g.principal(), topic, AclOperation.DESCRIBE));
                }
                // Consumer groups named after the service (a live page's consumer, one group per replica); the
                // projections assign partitions themselves and need none.
                acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, g.principal() + "-",
                        PatternType.PREFIXED), new AccessControlEntry("User:" + g.principal(), "*", AclOperation.READ,
                        AclPermissionType.ALLOW)));
            }
            admin.alterUserScramCredentials(logins).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LaunchException("cannot prepare the log (topics, logins, ACLs): " + e.getCause().getMessage(), e);
        } catch (Exception e) {
            throw new LaunchException("cannot prepare the log (topics, logins, ACLs): " + e, e);
        }
    }

    private static AclBinding allow(String principal, String topic, AclOperation op) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW));
    }

    /** The directory of a partition's segments on the broker's disk. */
    public Path partitionDir(String topic, int partition) {
        return dataDir.resolve("logs").resolve(topic + "-" + partition);
    }

    /**
     * The settings a Kafka client needs to log in as that principal: {@link #ADMIN} with PLAIN, a service with
     * SCRAM. For the launcher's and the tests' own clients.
     */
    public Map<String, Object> clientConfig(String principal) {
        Map<String, Object> m = new HashMap<>();
        m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        m.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        boolean admin = ADMIN.equals(principal);
        m.put(SaslConfigs.SASL_MECHANISM, admin ? "PLAIN" : SCRAM);
        m.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(admin ? "plain.PlainLoginModule" : "scram.ScramLoginModule",
                principal, passwords.apply(principal)));
        return m;
    }

    /** The password of a principal, for a service's environment. */
    public String password(String principal) {
        return passwords.apply(principal);
    }

    private static String jaas(String module, String user, String password) {
        return "org.apache.kafka.common.security." + module + " required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    public Admin admin() {
        Properties p = new Properties();
        p.putAll(clientConfig(ADMIN));
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
            // The log is everyone's data: only the broker's owner may read its files.
            Files.createDirectories(dataDir.resolve("logs"));
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(dataDir.resolve("logs"), PosixFilePermissions.fromString("rwx------"));
            String admin = passwords.apply(ADMIN);
            String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                    + "\" password=\"" + admin + "\" user_" + ADMIN + "=\"" + admin + "\";";
            String props = String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=CLIENT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=CLIENT",
                    "listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                    "sasl.enabled.mechanisms=" + SCRAM + ",PLAIN",
                    "listener.name.client.sasl.enabled.mechanisms=" + SCRAM + ",PLAIN",
                    "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                    "sasl.mechanism.inter.broker.protocol=PLAIN",
                    "sasl.mechanism.controller.protocol=PLAIN",
                    // PLAIN knows one user, the admin; the services are SCRAM users kept in the metadata.
                    "listener.name.client.plain.sasl.jaas.config=" + plain,
                    "listener.name.controller.plain.sasl.jaas.config=" + plain,
                    "listener.name.client.scram-sha-512.sasl.jaas.config="
                            + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                    "allow.everyone.if.no.acl.found=false",
                    "super.users=User:" + ADMIN,
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
                    "");
            Path config = dataDir.resolve("server.properties");
            Files.deleteIfExists(config);
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
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
