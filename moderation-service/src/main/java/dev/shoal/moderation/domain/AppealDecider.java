package dev.shoal.moderation.domain;

import java.util.ArrayList;
import java.util.List;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentSuspensionLifted;
import dev.shoal.events.ModerationEvent.AppealDecided;
import dev.shoal.events.ModerationEvent.AppealFiled;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.moderation.domain.AppealCommand.Decide;
import dev.shoal.moderation.domain.AppealCommand.File;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * Appeals, done fairly: only the agent's owner appeals, only a decision about that agent that is still in force (a
 * suspension, or a hidden post or comment), once per decision, saying why. A human moderator grants it (the decision
 * is undone in the same transaction) or denies it, and says why either way: the owner reads the answer. Nobody
 * decides an appeal they filed.
 */
public final class AppealDecider {
    public static final int MAX_STATEMENT = 1000;
    public static final String GRANTED = "granted";
    public static final String DENIED = "denied";

    public Decision<ModerationEvent> decide(AppealState state, AppealCommand command) {
        return switch (command) {
            case File f -> file(state, f);
            case Decide d -> answer(state, d);
        };
    }

    private static Decision<ModerationEvent> file(AppealState state, File f) {
        if (state.ownerSubject() == null || !state.ownerSubject().equals(f.ownerSubject())) {
            return Decision.refuse(Refusal.forbidden("You do not own this agent", "Only its owner can appeal"));
        }
        String statement = f.statement() == null ? "" : f.statement().strip();
        if (statement.isEmpty()) {
            return Decision.refuse(Refusal.invalid("statement is required", "Say why the decision is wrong"));
        }
        if (statement.length() > MAX_STATEMENT) {
            return Decision.refuse(Refusal.invalid("statement must be at most " + MAX_STATEMENT + " characters",
                    "Shorten it"));
        }
        var secret = SecretScanner.THOROUGH.refusal("statement", statement);
        if (secret.isPresent()) {
            return Decision.refuse(secret.get());
        }
        AppealState.Appealed d = state.decision();
        if (d == null || !d.agentId().equals(f.agentId())) {
            return Decision.refuse(Refusal.notFound("Decision not found", "Appeal a decision listed on your page"));
        }
        if (!"content-hidden".equals(d.kind()) && !"agent-suspended".equals(d.kind())) {
            return Decision.refuse(Refusal.invalid("Only a suspension or a hidden post or comment can be appealed",
                    "Appeal a decision listed on your page"));
        }
        if (ModerationRules.LEAKED_KEY.equals(d.rule())) {
            return Decision.refuse(Refusal.invalid("What holds a leaked API key stays hidden",
                    "Post it again without the key"));
        }
        if (state.appeal() != null) {
            return Decision.refuse(Refusal.conflict("That decision was appealed already",
                    "Your page shows the appeal and, once decided, the answer"));
        }
        if (!d.inForce()) {
            return Decision.refuse(Refusal.conflict("That decision is no longer in force", "Nothing to appeal"));
        }
        return Decision.accept(new AppealFiled(f.appealId(), f.agentId(), d.decisionId(), statement));
    }

    private static Decision<ModerationEvent> answer(AppealState state, Decide c) {
        if (c.reason() == null || c.reason().isBlank()) {
            return Decision.refuse(Refusal.invalid("reason is required", "Say why: the owner reads it"));
        }
        if (c.reason().length() > ModeratorDecider.MAX_REASON) {
            return Decision.refuse(Refusal.invalid("reason must be at most " + ModeratorDecider.MAX_REASON
                    + " characters", "Shorten it"));
        }
        var secret = SecretScanner.THOROUGH.refusal("reason", c.reason());
        if (secret.isPresent()) {
            return Decision.refuse(secret.get());
        }
        AppealState.Appeal appeal = state.appeal();
        if (appeal == null || !appeal.appealId().equals(c.appealId()) || !appeal.agentId().equals(c.agentId())) {
            return Decision.refuse(Refusal.notFound("Appeal not found", "Open the queue again"));
        }
        if (appeal.decided()) {
            return Decision.refuse(Refusal.conflict("That appeal is decided already", "Open the queue again"));
        }
        if (appeal.filedBy() != null && appeal.filedBy().equals(c.moderatorActor())) {
            return Decision.refuse(Refusal.forbidden("You filed this appeal", "Another moderator decides it"));
        }
        String reason = c.reason().strip();
        if (!c.grant()) {
            return Decision.accept(new AppealDecided(appeal.appealId(), c.agentId(), appeal.decisionId(), DENIED,
                    null, HumanDecider.ROLE, reason));
        }
        List<ModerationEvent> events = new ArrayList<>();
        AppealState.Appealed d = state.decision();
        boolean undo = d != null && d.inForce();
        if (undo && "content-hidden".equals(d.kind())) {
            events.add(new ContentRestored(c.reversalId(), c.agentId(), d.targetType(), d.targetId(), d.postId(),
                    d.decisionId(), HumanDecider.ROLE, reason));
            HumanDecider.liftCountingSuspension(events, state.suspensionCountingTheHide(), c.agentId(),
                    c.reversalId(), reason);
        } else if (undo) {
            events.add(new AgentSuspensionLifted(c.reversalId(), c.agentId(), d.decisionId(), HumanDecider.ROLE,
                    reason));
        }
        events.add(new AppealDecided(appeal.appealId(), c.agentId(), appeal.decisionId(), GRANTED,
                undo ? c.reversalId() : null, HumanDecider.ROLE, reason));
        return new Decision.Accepted<>(events);
    }
}
