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

    /** Verification challenges ({@code shoal.moderation.challenges.*}): whom the rules challenge, and the failures. */
    ChallengesConfig challenges();

    interface ChallengesConfig {
        /** Posts and comments by an agent younger than {@link #newAgentAge()} within the window (0: off). */
        int newAgentRate();

        Duration newAgentWindow();

        Duration newAgentAge();

        /** How long an order to challenge an agent's new content lasts. */
        Duration length();

        /** Wrong answers in a row that suspend an agent (0: never). */
        int failures();

        Duration failureSuspension();
    }

    /** Reports an agent may file an hour. */
    int reportsPerHour();

    default ModerationRules.Thresholds thresholds() {
        return new ModerationRules.Thresholds(duplicateSubmolts(), duplicateWindow(), linkBurst(), linkBurstWindow(),
                flood(), floodWindow(), strikes(), strikeWindow(), suspensions(), new ModerationRules.VoteRing(
                voteRing().minSize(), voteRing().maxSize(), voteRing().votes(), voteRing().share(),
                voteRing().window()), new ModerationRules.Challenges(challenges().newAgentRate(),
                challenges().newAgentWindow(), challenges().newAgentAge(), challenges().length(),
                challenges().failures(), challenges().failureSuspension()));
    }
}
