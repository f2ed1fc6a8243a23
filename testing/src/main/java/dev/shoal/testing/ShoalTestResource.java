package dev.shoal.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import dev.shoal.launcher.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} service at the JVM's shared Kafka and at a database of its own
 * (init arg {@code database}). With {@code unreachableServices=true} (the gateway's tests), the services behind the
 * gateway are addressed at a port nothing listens on, so a forwarded call fails the same way whatever else runs on
 * this machine (a local stack on 8081-8083 included).
 */
public class ShoalTestResource implements QuarkusTestResourceLifecycleManager {
    private String database = "test";
    private boolean unreachableServices;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
        unreachableServices = Boolean.parseBoolean(initArgs.getOrDefault("unreachableServices", "false"));
    }

    @Override
    public Map<String, String> start() {
        SharedInfra infra = SharedInfra.get();
        SharedInfra.Database db = infra.database(database);
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.bootstrapServers());
        config.put("shoal.kafka.password", infra.kafka().password(applicationName()));
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        if (writesThroughHibernateReactive()) {
            config.put("quarkus.datasource.reactive.url", db.reactiveUrl());
        }
        config.put("quarkus.datasource.username", db.username());
        config.put("quarkus.datasource.password", db.password());
        if (unreachableServices) {
            String nowhere = "http://127.0.0.1:" + Ports.free();
            for (String service : new String[] {"identity", "post", "feed", "moderation", "audit"}) {
                config.put("shoal.services." + service + "-url", nowhere);
            }
        }
        return config;
    }

    /** The service under test, which is also its Kafka principal: as its own configuration names it. */
    private static String applicationName() {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("application.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String name = p.getProperty("quarkus.application.name");
            if (name == null) {
                throw new IllegalStateException("the service under test names no quarkus.application.name");
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only the services that own aggregates carry the reactive client; the others would warn of an unknown key. */
    private static boolean writesThroughHibernateReactive() {
        try {
            Class.forName("io.vertx.pgclient.PgConnectOptions", false, ShoalTestResource.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public void stop() {
        // The shared infrastructure lives as long as the JVM; SharedInfra stops it at exit.
    }
}
