package dev.shoal.platform.projection;

import java.util.List;

/**
 * One live projection: its version, how far behind the log it is (in records and in time), its last error if it
 * is stuck, and the versions it replaced whose schemas are kept until {@code ./services gc}.
 */
public record ProjectionStatus(String projection, int version, String schema, long lag, long lagMillis,
                               long eventsApplied, String lastError, RebuildStatus rebuild, List<Integer> retired) {
}
