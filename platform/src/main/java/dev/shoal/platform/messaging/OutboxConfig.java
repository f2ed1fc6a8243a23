package dev.shoal.platform.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service runs the outbox relay ({@code shoal.outbox.*}). */
@ConfigMapping(prefix = "shoal.outbox")
public interface OutboxConfig {
    Relay relay();

    /** How long published rows stay in the outbox for inspection; the log in Kafka is the record that lasts. */
    @WithDefault("P7D")
    Duration keepPublished();

    interface Relay {
        /** Only services that write events run a relay. */
        @WithDefault("false")
        boolean enabled();

        /** Rows published per round trip. */
        @WithDefault("500")
        int batchSize();

        /** The longest a relay sleeps without a NOTIFY before it looks again. */
        @WithDefault("PT0.5S")
        Duration idleWait();
    }
}
