package dev.shoal.platform.projection;

import java.util.List;

/**
 * One projection as this replica runs it: the version it applies to and the code version of this build, whether that
 * version is still being built beside another build's live one ({@code building}: readers still read the other), how
 * far behind the log it is (in records and in time), what it skipped (events of types this build does not know,
 * records that are not Shoal events, events whose source does not own their topic; events it could not apply, set
 * aside on the dead-letter topic), its last error if it is stuck or stopped, and the replaced versions whose schemas
 * are kept until {@code ./services gc}.
 */
public record ProjectionStatus(String projection, int version, int codeVersion, boolean building, String schema,
                               long lag, long lagMillis, long eventsApplied, long unknownEvents, long malformedEvents,
                               long foreignEvents, long deadLetters,
                               String lastError, RebuildStatus rebuild, List<Integer> retired) {
}
