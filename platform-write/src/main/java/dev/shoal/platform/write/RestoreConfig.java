package dev.shoal.platform.write;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service restores its own tables from its own topics ({@code shoal.restore.*}). */
@ConfigMapping(prefix = "shoal.restore")
public interface RestoreConfig {
    /**
     * Whether a service whose tables have never been written restores them from its topics before it takes commands.
     * Off only in a service's own tests, where one broker serves several databases of the same service.
     */
    @WithDefault("true")
    boolean enabled();

    /** Events applied per transaction. */
    @WithDefault("500")
    int batchSize();
}
