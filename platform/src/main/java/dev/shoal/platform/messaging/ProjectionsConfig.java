package dev.shoal.platform.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service runs its projections ({@code shoal.projections.*}). */
@ConfigMapping(prefix = "shoal.projections")
public interface ProjectionsConfig {
    /** The schema whose views readers query; each points at a projection's live version. */
    @WithDefault("live")
    String readSchema();

    @WithDefault("PT0.1S")
    Duration pollTimeout();

    /**
     * Readiness goes DOWN while a projection is behind the log by more than this (its newest applied event older):
     * fallen behind or stuck, it would serve stale reads and refuse commands that depend on what it has not applied.
     */
    @WithDefault("PT60S")
    Duration readyMaxLag();

    /**
     * Seen event ids are kept this many offsets behind each partition's position: far more than a relay resends
     * after a crash (at most a few of its batches), and bounded however long the log grows.
     */
    @WithDefault("100000")
    long dedupeWindow();

    /**
     * The longest a read waits for the caller's own last write to be applied here (the gateway names it,
     * {@code X-Shoal-Await}); past it, the read answers what there is, marked {@code X-Shoal-Stale: true}.
     */
    @WithDefault("PT1S")
    Duration readYourWritesWait();

    Rebuild rebuild();

    interface Rebuild {
        /** A rebuild stops catching up and starts aligning below this many records left. */
        @WithDefault("500")
        long caughtUpLag();

        @WithDefault("PT2M")
        Duration alignTimeout();
    }
}
