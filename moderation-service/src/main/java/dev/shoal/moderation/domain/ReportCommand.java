package dev.shoal.moderation.domain;

import java.util.UUID;

import dev.shoal.events.ModerationEvent.Reported;

/**
 * An agent reports a post, a comment or an agent, on the stream of the agent reported (or whose content it is), so
 * two reports of one target by one reporter cannot both pass the one-open-report rule.
 */
public record ReportCommand(UUID reportId, UUID agentId, UUID reporterId, Reported targetType, UUID targetId,
                            UUID postId, String reason, String note) {
}
