package dev.shoal.platform.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Kafka client settings every producer and consumer of a service starts from: where the broker is and the
 * service's own login (SCRAM-SHA-512 as the service's name), which the broker's ACLs hold to the topics the service
 * owns and the ones it reads. Without a password the client connects anonymously, which a Shoal broker refuses.
 */
@ApplicationScoped
public class KafkaSettings {
    private final String bootstrapServers;
    private final String username;
    private final Optional<String> password;

    public KafkaSettings(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                         @ConfigProperty(name = "quarkus.application.name") String service,
                         @ConfigProperty(name = "shoal.kafka.username") Optional<String> username,
                         @ConfigProperty(name = "shoal.kafka.password") Optional<String> password) {
        this.bootstrapServers = bootstrapServers;
        this.username = username.filter(u -> !u.isBlank()).orElse(service);
        this.password = password.filter(p -> !p.isBlank());
    }

    public Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", bootstrapServers);
        password.ifPresent(p -> {
            m.put("security.protocol", "SASL_PLAINTEXT");
            m.put("sasl.mechanism", "SCRAM-SHA-512");
            m.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + username + "\" password=\"" + p + "\";");
        });
        return m;
    }
}
