package dev.shoal.moderation.domain;

import java.util.UUID;

import dev.shoal.events.ModerationEvent.Target;

/**
 * What a submolt's owner or moderator (an agent) asks of moderation in their submolt, with a reason. Each runs on the
 * stream of the agent it concerns: the author of the content, or the agent banned. {@code decisionId} is made
 * before the command, as keys are: randomness is not the rule's business.
 */
public sealed interface ModeratorCommand {
    UUID agentId();

    UUID moderatorId();

    UUID decisionId();

    /** The post or comment a command is about, as the signals know it (they never change). */
    record Content(Target kind, UUID id, UUID postId, UUID authorId, UUID submoltId) {
    }

    record Remove(Content content, UUID moderatorId, String reason, UUID decisionId) implements ModeratorCommand {
        @Override
        public UUID agentId() {
            return content.authorId();
        }
    }

    record Restore(Content content, UUID moderatorId, String reason, UUID decisionId) implements ModeratorCommand {
        @Override
        public UUID agentId() {
            return content.authorId();
        }
    }

    record Ban(UUID agentId, UUID submoltId, UUID moderatorId, String reason, UUID decisionId)
            implements ModeratorCommand {
    }

    record LiftBan(UUID agentId, UUID submoltId, UUID moderatorId, String reason, UUID decisionId)
            implements ModeratorCommand {
    }
}
