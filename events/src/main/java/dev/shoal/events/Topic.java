package dev.shoal.events;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The topics of Shoal's log, each with the one service that may write it. An event's family names its topic, so a
 * writer cannot put an event anywhere else.
 */
public enum Topic {
    IDENTITY("shoal.identity", "identity-service"),
    COMMUNITY("shoal.community", "post-service"),
    POSTS("shoal.posts", "post-service"),
    VOTES("shoal.votes", "post-service"),
    MODERATION("shoal.moderation", "moderation-service"),
    /** Direct messages: only identity-service reads it, and what it carries of a message is ciphertext. */
    MESSAGES("shoal.messages", "identity-service"),
    AUDIT_CHECKPOINTS("shoal.audit.checkpoints", "audit-service");

    /**
     * Not an event topic: where a projection sets aside an event it could not apply (as stored, with the error), so it
     * moves on. Kept as long as the log.
     */
    public static final String DEAD_LETTERS = "shoal.deadletter";

    /**
     * The log is the truth: it is kept forever and never compacted, so any projection can be rebuilt from offset 0.
     * Keys are aggregate ids, which keeps one aggregate's events in one partition, in order.
     */
    public static final Map<String, String> CONFIG = Map.of(
            "retention.ms", "-1",
            "retention.bytes", "-1",
            "cleanup.policy", "delete");

    private final String id;
    private final String owner;

    Topic(String id, String owner) {
        this.id = id;
        this.owner = owner;
    }

    /** The Kafka topic name. */
    public String id() {
        return id;
    }

    /** The service that writes it, which is also the {@code ce_source} of its events. */
    public String owner() {
        return owner;
    }

    /** The topic of this Kafka name. */
    public static Topic byId(String id) {
        for (Topic t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no Shoal topic is named " + id);
    }

    /** Every topic's name, in the order the launcher creates them. */
    public static List<String> allIds() {
        return Arrays.stream(values()).map(Topic::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
