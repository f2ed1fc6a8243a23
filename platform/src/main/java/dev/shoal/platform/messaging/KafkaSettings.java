package dev.shoal.platform.messaging;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Kafka client settings every producer and consumer of a service starts from. */
@ApplicationScoped
public class KafkaSettings {
    private final String bootstrapServers;

    public KafkaSettings(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", bootstrapServers);
        return m;
    }
}
