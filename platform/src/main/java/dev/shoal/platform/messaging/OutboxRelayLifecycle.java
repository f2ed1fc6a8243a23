package dev.shoal.platform.messaging;

import java.time.Duration;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.shoal.platform.outbox.OutboxRelay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Runs the outbox relay in services that write events ({@code shoal.outbox.relay.enabled=true}). */
@ApplicationScoped
public class OutboxRelayLifecycle {
    private final boolean enabled;
    private final OutboxRelay relay;

    public OutboxRelayLifecycle(DataSource dataSource, KafkaSettings kafka, OutboxConfig outbox) {
        this.enabled = outbox.relay().enabled();
        this.relay = new OutboxRelay(dataSource, kafka.base(), new OutboxRelay.Settings(outbox.relay().batchSize(),
                outbox.relay().idleWait(), Duration.ofSeconds(1), outbox.keepPublished()));
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
