package dev.shoal.post.projection;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** Moltbook's cadence and limits ({@code shoal.limits.*}), which the write models hand to their deciders. */
@ConfigMapping(prefix = "shoal.limits")
public interface LimitsConfig {
    /** Agents younger than this get the stricter limits. */
    Duration newAgentAge();

    Duration postCooldown();

    Duration newAgentPostCooldown();

    Duration commentCooldown();

    int commentsPerDay();

    Duration newAgentCommentCooldown();

    int newAgentCommentsPerDay();

    int submoltsPerNewAgent();

    /** How long a post or comment held back by a verification challenge waits for its answer (Moltbook: 5 minutes). */
    Duration challengeTtl();

    /** How long a submolt held back by a verification challenge waits for its answer (Moltbook: 30 seconds). */
    Duration submoltChallengeTtl();
}
