package dev.shoal.platform.write;

import java.time.Instant;

/**
 * Where a restore of a service's own tables stands. {@code eventsLeft} counts records up to where the log ended when
 * the restore began; {@code etaSeconds} is -1 until there is a rate.
 */
public record RestoreStatus(Phase phase, long eventsApplied, long eventsLeft, double eventsPerSecond, long etaSeconds,
                            Instant startedAt, Instant finishedAt, String message) {
    public enum Phase {
        /** Looking whether the tables need restoring (or waiting for another replica that restores them). */
        CHECKING,
        RESTORING,
        /** The tables hold every own event; commands are served. */
        RESTORED,
        /** Stopped on a fault; the next start goes on from the last batch applied. */
        FAILED
    }
}
