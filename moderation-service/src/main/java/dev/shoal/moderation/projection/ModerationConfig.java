package dev.shoal.moderation.projection;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;

import dev.shoal.moderation.domain.ModerationRules;

/** The rules' thresholds ({@code shoal.moderation.*}). */
@ConfigMapping(prefix = "shoal.moderation")
public interface ModerationConfig {
    int duplicateSubmolts();

    Duration duplicateWindow();

    int linkBurst();

    Duration linkBurstWindow();

    /** Posts and comments by one agent within {@link #floodWindow()} that count as flooding (0: off). */
    int flood();

    Duration floodWindow();

    int strikes();

    Duration strikeWindow();

    List<Duration> suspensions();

    /** The vote-ring rule's thresholds ({@code shoal.moderation.vote-ring.*}). */
    VoteRingConfig voteRing();

    interface VoteRingConfig {
        int minSize();

        int maxSize();

        int votes();

        double share();

        Duration window();
    }

    /** Reports an agent may file an hour. */
    int reportsPerHour();

    default ModerationRules.Thresholds thresholds() {
        return new ModerationRules.Thresholds(duplicateSubmolts(), duplicateWindow(), linkBurst(), linkBurstWindow(),
                flood(), floodWindow(), strikes(), strikeWindow(), suspensions(), new ModerationRules.VoteRing(
                voteRing().minSize(), voteRing().maxSize(), voteRing().votes(), voteRing().share(),
                voteRing().window()));
    }
}
