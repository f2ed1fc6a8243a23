package dev.shoal.events;

import java.util.List;
import java.util.Map;

/** The topics of Shoal's log and the configuration every one of them is created with. */
public final class Topics {
    public static final String IDENTITY = "shoal.identity";
    public static final String COMMUNITY = "shoal.community";
    public static final String POSTS = "shoal.posts";
    public static final String VOTES = "shoal.votes";
    public static final String MODERATION = "shoal.moderation";
    public static final String AUDIT_CHECKPOINTS = "shoal.audit.checkpoints";

    /** Every topic of the log, in the order the launcher creates them. */
    public static final List<String> ALL = List.of(IDENTITY, COMMUNITY, POSTS, VOTES, MODERATION, AUDIT_CHECKPOINTS);

    /**
     * The log is the truth: it is kept forever and never compacted, so any projection can be rebuilt from offset 0.
     * Keys are aggregate ids, which keeps one aggregate's events in one partition, in order.
     */
    public static final Map<String, String> CONFIG = Map.of(
            "retention.ms", "-1",
            "retention.bytes", "-1",
            "cleanup.policy", "delete");

    private Topics() {
    }
}
