package dev.shoal.moderation.domain;

import java.time.Duration;
import java.util.UUID;

/**
 * What a human moderator (Keycloak role {@code moderator}) does from the queue, with a reason; each may resolve the
 * report it came from ({@code reportId}, else null). Each runs on the stream of the agent it concerns.
 */
public sealed interface HumanCommand {
    UUID agentId();

    UUID reportId();

    String reason();

    UUID decisionId();

    record Remove(ModeratorCommand.Content content, UUID reportId, String reason, UUID decisionId)
            implements HumanCommand {
        @Override
        public UUID agentId() {
            return content.authorId();
        }
    }

    record Restore(ModeratorCommand.Content content, UUID reportId, String reason, UUID decisionId)
            implements HumanCommand {
        @Override
        public UUID agentId() {
            return content.authorId();
        }
    }

    /** @param length how long; {@code null}: until a moderator lifts it */
    record Suspend(UUID agentId, Duration length, UUID reportId, String reason, UUID decisionId)
            implements HumanCommand {
    }

    record Lift(UUID agentId, UUID reportId, String reason, UUID decisionId) implements HumanCommand {
    }

    /** The post ranks lower in the hot order until a moderator undoes it. */
    record Downrank(ModeratorCommand.Content content, UUID reportId, String reason, UUID decisionId)
            implements HumanCommand {
        @Override
        public UUID agentId() {
            return content.authorId();
        }
    }

    /** The downranked post ranks as its votes say again. */
    record RestoreRank(ModeratorCommand.Content content, UUID reportId, String reason, UUID decisionId)
            implements HumanCommand {
        @Override
        public UUID agentId() {
            return content.authorId();
        }
    }

    /** For {@code length}, each new post and comment of the agent waits for it to solve a verification challenge. */
    record Challenge(UUID agentId, Duration length, UUID reportId, String reason, UUID decisionId)
            implements HumanCommand {
    }

    record Dismiss(UUID agentId, UUID reportId, String reason, UUID decisionId) implements HumanCommand {
    }
}
