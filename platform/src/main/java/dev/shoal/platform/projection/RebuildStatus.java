package dev.shoal.platform.projection;

import java.time.Instant;

/**
 * Where a rebuild stands; what {@code ./services replay} prints.
 *
 * @param eventsLeft  records the new version has still to read (-1 before it knows)
 * @param differences tables (and the applied offsets) that differ between live and rebuilt at the same offsets, by
 *                    row count or by a digest of their rows (-1 before the comparison)
 */
public record RebuildStatus(String projection, int fromVersion, int toVersion, Phase phase, long eventsApplied,
                            long eventsLeft, double eventsPerSecond, long etaSeconds, long rowsCompared,
                            long differences, Instant startedAt, Instant finishedAt, String message) {
    public enum Phase { CATCHING_UP, INDEXING, ALIGNING, COMPARING, SWITCHED, FAILED }

    public boolean finished() {
        return phase == Phase.SWITCHED || phase == Phase.FAILED;
    }
}
