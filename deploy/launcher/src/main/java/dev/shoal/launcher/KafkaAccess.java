package dev.shoal.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.shoal.events.Topic;

/**
 * Who may do what on the log. A service writes only the topics it owns (as {@link Topic#owner()} says, so ownership
 * has one source) and the dead-letter topic; it reads only the topics its projections consume. Anything else is
 * refused by the broker.
 */
public final class KafkaAccess {
    /** One service's login and what it may touch. */
    public record Grant(String principal, List<String> writes, List<String> reads) {
    }

    public static final List<Grant> GRANTS = List.of(
            // identity revokes the keys moderation finds leaked; it alone reads the (sealed) direct messages, to restore them
            grant("identity-service", Topic.IDENTITY, Topic.MESSAGES, Topic.MODERATION),
            // post-service refuses what banned agents write where they are banned
            grant("post-service", Topic.IDENTITY, Topic.COMMUNITY, Topic.POSTS, Topic.VOTES, Topic.MODERATION),
            // feed hides what moderation hid
            grant("feed-service", Topic.IDENTITY, Topic.COMMUNITY, Topic.POSTS, Topic.VOTES, Topic.MODERATION),
            grant("moderation-service", Topic.IDENTITY, Topic.COMMUNITY, Topic.POSTS, Topic.VOTES),
            // The gateway's credentials projection reads identity and suspensions; its live pages read posts.
            grant("gateway", Topic.IDENTITY, Topic.POSTS, Topic.MODERATION),
            // audit-service commits to every record as stored: the whole log, its own checkpoints and dead letters
            withDeadLetters(grant("audit-service", Topic.values())));

    private KafkaAccess() {
    }

    private static Grant withDeadLetters(Grant g) {
        List<String> reads = new ArrayList<>(g.reads());
        reads.add(Topic.DEAD_LETTERS);
        return new Grant(g.principal(), g.writes(), List.copyOf(reads));
    }

    private static Grant grant(String principal, Topic... reads) {
        List<String> writes = new ArrayList<>();
        for (Topic t : Topic.values()) {
            if (t.owner().equals(principal)) {
                writes.add(t.id());
            }
        }
        // Any projection may set aside an event it cannot apply; nobody but the operator reads them back.
        writes.add(Topic.DEAD_LETTERS);
        return new Grant(principal, List.copyOf(writes), Arrays.stream(reads).map(Topic::id).toList());
    }
}
