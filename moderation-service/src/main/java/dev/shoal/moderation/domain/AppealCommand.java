package dev.shoal.moderation.domain;

import java.util.UUID;

/** An owner's appeal of a decision about its agent, and a human moderator's answer. Each runs on the agent's stream. */
public sealed interface AppealCommand {
    UUID agentId();

    /** Human {@code ownerSubject} appeals decision {@code decisionId} about its agent {@code agentId}. */
    record File(UUID agentId, String ownerSubject, UUID decisionId, String statement, UUID appealId)
            implements AppealCommand {
    }

    /**
     * A human moderator grants ({@code grant}) or denies appeal {@code appealId}; a grant undoes the decision, by
     * decision {@code reversalId}, if it is still in force. {@code moderatorActor} is who answers (the envelope's actor).
     */
    record Decide(UUID agentId, UUID appealId, boolean grant, String reason, UUID reversalId, String moderatorActor)
            implements AppealCommand {
    }
}
