package dev.shoal.platform.projection;

/**
 * One live projection: its version, how far behind the log it is (in records and in time), and its last error if it
 * is stuck.
 */
public record ProjectionStatus(String projection, int version, String schema, long lag, long lagMillis,
                               long eventsApplied, String lastError, RebuildStatus rebuild) {
}
