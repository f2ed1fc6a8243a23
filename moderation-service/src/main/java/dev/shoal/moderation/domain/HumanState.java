package dev.shoal.moderation.domain;

import java.util.UUID;

/**
 * What a human moderator's command reads: the decision hiding the content now (if any), the agent's standing and
 * the decision behind its suspension, and the report it resolves (if it names one); for a restore, the
 * {@code repeated-offences} suspension in force that counted the hide as a strike ({@code null}: none); for a
 * downrank or its undoing, the decision downranking the post now ({@code null}: none).
 */
public record HumanState(ModeratorState.ActiveHide hide, ModerationState.Standing standing, UUID suspension,
                         OpenReport report, UUID suspensionCountingTheHide, UUID downrank) {
    public HumanState(ModeratorState.ActiveHide hide, ModerationState.Standing standing, UUID suspension,
                      OpenReport report, UUID suspensionCountingTheHide) {
        this(hide, standing, suspension, report, suspensionCountingTheHide, null);
    }

    public HumanState(ModeratorState.ActiveHide hide, ModerationState.Standing standing, UUID suspension,
                      OpenReport report) {
        this(hide, standing, suspension, report, null, null);
    }

    /** A report as the command finds it: whose it is about, what (a post, comment or agent id), whether open. */
    public record OpenReport(UUID agentId, UUID targetId, boolean open) {
    }
}
