package dev.shoal.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} service at the JVM's shared Kafka and at a database of its own
 * (init arg {@code database}).
 */
public class ShoalTestResource implements QuarkusTestResourceLifecycleManager {
    private String database = "test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        SharedInfra infra = SharedInfra.get();
        SharedInfra.Database db = infra.database(database);
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        config.put("quarkus.datasource.username", db.username());
        config.put("quarkus.datasource.password", db.password());
        return config;
    }

    @Override
    public void stop() {
        // The shared infrastructure lives as long as the JVM; SharedInfra stops it at exit.
    }
}
