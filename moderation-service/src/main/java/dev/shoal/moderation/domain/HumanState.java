package dev.shoal.moderation.domain;

import java.util.UUID;

/**
 * What a human moderator's command reads: the decision hiding the content now (if any), the agent's standing and
 * the decision behind its suspension, and the report it resolves (if it names one); for a restore, the
 * {@code repeated-offences} suspension in force that counted the hide as a strike ({@code null}: none); for a
 * downrank or its undoing, the decisions downranking the post now (a moderator's, a vote ring's: none, one or more).
 */
public record HumanState(ModeratorState.ActiveHide hide, ModerationState.Standing standing, UUID suspension,
                         OpenReport report, UUID suspensionCountingTheHide, java.util.List<UUID> downranks) {
    public HumanState {
        downranks = downranks == null ? java.util.List.of() : java.util.List.copyOf(downranks);
    }

    public HumanState(ModeratorState.ActiveHide hide, ModerationState.Standing standing, UUID suspension,
                      OpenReport report, UUID suspensionCountingTheHide) {
        this(hide, standing, suspension, report, suspensionCountingTheHide, java.util.List.of());
    }

    public HumanState(ModeratorState.ActiveHide hide, ModerationState.Standing standing, UUID suspension,
                      OpenReport report) {
        this(hide, standing, suspension, report, null, java.util.List.of());
    }

    /** A report as the command finds it: whose it is about, what (a post, comment or agent id), whether open. */
    public record OpenReport(UUID agentId, UUID targetId, boolean open) {
    }
}
