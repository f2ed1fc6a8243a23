package dev.shoal.platform.messaging;

import java.time.Duration;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.shoal.platform.outbox.OutboxRelay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Runs the outbox relay in services that write events ({@code shoal.outbox.relay.enabled=true}). */
@ApplicationScoped
public class OutboxRelayLifecycle {
    private final boolean enabled;
    private final OutboxRelay relay;

    public OutboxRelayLifecycle(DataSource dataSource, KafkaSettings kafka,
                                @ConfigProperty(name = "shoal.outbox.relay.enabled", defaultValue = "false") boolean enabled,
                                @ConfigProperty(name = "shoal.outbox.relay.batch-size", defaultValue = "500") int batchSize,
                                @ConfigProperty(name = "shoal.outbox.relay.idle-wait", defaultValue = "PT0.5S") Duration idleWait,
                                @ConfigProperty(name = "shoal.outbox.keep-published", defaultValue = "P7D") Duration keep) {
        this.enabled = enabled;
        this.relay = new OutboxRelay(dataSource, kafka.base(),
                new OutboxRelay.Settings(batchSize, idleWait, Duration.ofSeconds(1), keep));
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            relay.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.close();
    }

    public OutboxRelay relay() {
        return relay;
    }

    public boolean enabled() {
        return enabled;
    }
}
