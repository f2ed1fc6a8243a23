package dev.shoal.moderation.domain;

import java.util.UUID;

import dev.shoal.events.ModerationEvent.Target;

/**
 * What an appeal reads: who owns the agent (a human's subject, null while unclaimed), the decision appealed (null
 * when there is none by that id) and the appeal already made of it (null when none); for an appealed hide, the
 * {@code repeated-offences} suspension in force that counted it as a strike (null: none).
 */
public record AppealState(String ownerSubject, Appealed decision, Appeal appeal, UUID suspensionCountingTheHide) {
    public AppealState(String ownerSubject, Appealed decision, Appeal appeal) {
        this(ownerSubject, decision, appeal, null);
    }

    /**
     * A decision as an appeal sees it: {@code kind} {@code content-hidden} (with its target) or
     * {@code agent-suspended}, the rule that made it (null for a person's), and whether it is still in force (not
     * restored, not lifted, not run out).
     */
    public record Appealed(UUID decisionId, UUID agentId, String kind, String rule, Target targetType, UUID targetId,
                           UUID postId, boolean inForce) {
    }

    /** An appeal: of which decision, about which agent, whether a moderator decided it already, and who filed it. */
    public record Appeal(UUID appealId, UUID agentId, UUID decisionId, boolean decided, String filedBy) {
    }
}
