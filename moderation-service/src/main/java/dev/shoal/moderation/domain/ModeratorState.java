package dev.shoal.moderation.domain;

import java.util.UUID;

/**
 * What a moderator's command reads: the caller's and the concerned agent's roles in the submolt, the decision that
 * hides the content now (if any), and the ban in force (if any).
 */
public record ModeratorState(Role moderator, Role concerned, ActiveHide hide, UUID activeBan) {
    /** A role in one submolt. */
    public enum Role {
        OWNER, MODERATOR, NONE;

        public static Role of(String role) {
            return role == null ? NONE : switch (role) {
                case "owner" -> OWNER;
                case "moderator" -> MODERATOR;
                default -> NONE;
            };
        }
    }

    /** The decision hiding the content, and whether a submolt's owner or moderator made it. */
    public record ActiveHide(UUID decisionId, boolean bySubmoltModerator) {
    }
}
