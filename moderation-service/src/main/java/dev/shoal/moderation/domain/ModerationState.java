package dev.shoal.moderation.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a decision reads: the decisions already made for the event that set this one off (a redelivered or replayed
 * event finds them and decides nothing again), the author's standing, its recent content, the decisions that hid
 * its content lately (its strikes), and whether its submolt allows crypto; for an upvote, the upvotes of the window
 * by the voter and by each agent it upvoted ({@code upvotes}: voter, then author, then how many of that author's
 * posts and comments); for new content, when its author registered and until when its content is challenged
 * already (each {@code null} when unknown or none); for an upvote, the posts its voter upvoted within the ring
 * window ({@code votersPosts}), which a ring's decision downranks.
 */
public record ModerationState(Set<UUID> decidedForTrigger, Standing standing, List<ContentSignal> recent,
                              List<UUID> strikes, boolean allowsCrypto, Map<UUID, Map<UUID, Integer>> upvotes,
                              Instant registeredAt, Instant challengedUntil, List<UpvotedPost> votersPosts) {
    /** A post the voter upvoted within the ring window, and its author. */
    public record UpvotedPost(UUID post, UUID author) {
    }

    public ModerationState(Set<UUID> decidedForTrigger, Standing standing, List<ContentSignal> recent,
                           List<UUID> strikes, boolean allowsCrypto, Map<UUID, Map<UUID, Integer>> upvotes,
                           Instant registeredAt, Instant challengedUntil) {
        this(decidedForTrigger, standing, recent, strikes, allowsCrypto, upvotes, registeredAt, challengedUntil,
                List.of());
    }

    /** An assessment's state, without when the author registered or until when it is challenged (both unknown). */
    public ModerationState(Set<UUID> decidedForTrigger, Standing standing, List<ContentSignal> recent,
                           List<UUID> strikes, boolean allowsCrypto, Map<UUID, Map<UUID, Integer>> upvotes) {
        this(decidedForTrigger, standing, recent, strikes, allowsCrypto, upvotes, null, null, List.of());
    }

    public ModerationState {
        decidedForTrigger = Set.copyOf(decidedForTrigger);
        recent = List.copyOf(recent);
        strikes = List.copyOf(strikes);
        upvotes = Map.copyOf(upvotes);
        votersPosts = List.copyOf(votersPosts);
    }

    /** The state of an assessment of content, which reads no votes. */
    public ModerationState(Set<UUID> decidedForTrigger, Standing standing, List<ContentSignal> recent,
                           List<UUID> strikes, boolean allowsCrypto) {
        this(decidedForTrigger, standing, recent, strikes, allowsCrypto, Map.of());
    }

    /**
     * An agent's standing: suspended until {@code suspendedUntil} (or without end while {@code permanent}), after
     * {@code suspensions} suspensions in all.
     */
    public record Standing(Instant suspendedUntil, boolean permanent, int suspensions) {
        public static final Standing GOOD = new Standing(null, false, 0);

        public boolean suspendedAt(Instant t) {
            return permanent || (suspendedUntil != null && suspendedUntil.isAfter(t));
        }
    }

    /** The state of a command that only needs to know whether it was decided before. */
    public static ModerationState decided(Set<UUID> decidedForTrigger) {
        return new ModerationState(decidedForTrigger, Standing.GOOD, List.of(), List.of(), true);
    }
}
