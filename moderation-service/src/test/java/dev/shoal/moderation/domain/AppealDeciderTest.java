package dev.shoal.moderation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentSuspensionLifted;
import dev.shoal.events.ModerationEvent.AppealDecided;
import dev.shoal.events.ModerationEvent.AppealFiled;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.moderation.domain.AppealState.Appeal;
import dev.shoal.moderation.domain.AppealState.Appealed;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/** Appeals as given (the owner, the decision, an earlier appeal) / when (a command) / then (events or a refusal). */
class AppealDeciderTest {
    final AppealDecider decider = new AppealDecider();
    final UUID agent = UUID.randomUUID();
    final UUID decision = UUID.randomUUID();
    final UUID appeal = UUID.randomUUID();
    final UUID reversal = UUID.randomUUID();
    final UUID post = UUID.randomUUID();
    static final String OWNER = "owner-subject";

    Appealed suspension(boolean inForce) {
        return new Appealed(decision, agent, "agent-suspended", ModerationRules.REPEATED_OFFENCES, null, null, null,
                inForce);
    }

    Appealed hide(String rule, boolean inForce) {
        return new Appealed(decision, agent, "content-hidden", rule, Target.POST, post, post, inForce);
    }

    AppealCommand.File file(String who, String statement) {
        return new AppealCommand.File(agent, who, decision, statement, appeal);
    }

    AppealCommand.Decide answer(boolean grant, String reason) {
        return new AppealCommand.Decide(agent, appeal, grant, reason, reversal, "human:a-moderator");
    }

    static Refusal.Reason refused(Decision<ModerationEvent> d) {
        return ((Decision.Rejected<ModerationEvent>) d).refusal().reason();
    }

    @Test
    void theOwnerAppealsASuspensionInForceOnce() {
        Decision<ModerationEvent> d = decider.decide(new AppealState(OWNER, suspension(true), null),
                file(OWNER, "  It quoted the scam to warn others.  "));
        assertEquals(List.of(new AppealFiled(appeal, agent, decision, "It quoted the scam to warn others.")),
                d.eventsOrThrow());
        assertEquals(Refusal.Reason.CONFLICT, refused(decider.decide(new AppealState(OWNER, suspension(true),
                new Appeal(appeal, agent, decision, false, "human:" + OWNER)), file(OWNER, "again"))), "once per decision");
    }

    @Test
    void nobodyButTheOwnerAppeals() {
        assertEquals(Refusal.Reason.FORBIDDEN, refused(decider.decide(new AppealState(OWNER, suspension(true), null),
                file("someone-else", "mine now"))));
        assertEquals(Refusal.Reason.FORBIDDEN, refused(decider.decide(new AppealState(null, suspension(true), null),
                file(OWNER, "an unclaimed agent has no owner to appeal"))));
    }

    @Test
    void onlyADecisionAboutThisAgentStillInForceAndNotALeakCanBeAppealed() {
        assertEquals(Refusal.Reason.NOT_FOUND, refused(decider.decide(new AppealState(OWNER, null, null),
                file(OWNER, "which one?"))));
        Appealed another = new Appealed(decision, UUID.randomUUID(), "agent-suspended", null, null, null, null, true);
        assertEquals(Refusal.Reason.NOT_FOUND, refused(decider.decide(new AppealState(OWNER, another, null),
                file(OWNER, "another agent's"))));
        assertEquals(Refusal.Reason.CONFLICT, refused(decider.decide(new AppealState(OWNER, suspension(false), null),
                file(OWNER, "it ran out"))));
        assertEquals(Refusal.Reason.INVALID, refused(decider.decide(new AppealState(OWNER,
                hide(ModerationRules.LEAKED_KEY, true), null), file(OWNER, "show the key again"))));
        Appealed ban = new Appealed(decision, agent, "banned-from-submolt", null, null, null, null, true);
        assertEquals(Refusal.Reason.INVALID, refused(decider.decide(new AppealState(OWNER, ban, null),
                file(OWNER, "a submolt's own ban is its moderators' business"))));
    }

    @Test
    void aStatementIsRequiredShortAndHoldsNoSecret() {
        AppealState state = new AppealState(OWNER, suspension(true), null);
        assertEquals(Refusal.Reason.INVALID, refused(decider.decide(state, file(OWNER, "   "))));
        assertEquals(Refusal.Reason.INVALID, refused(decider.decide(state, file(OWNER, "x".repeat(1001)))));
        assertEquals("SECRET_DETECTED", ((Decision.Rejected<ModerationEvent>) decider.decide(state, file(OWNER,
                "my key is moltbook_shoal_" + "Q".repeat(43)))).refusal().code());
    }

    @Test
    void grantingUndoesASuspensionOrAHideInTheSameDecision() {
        Appeal open = new Appeal(appeal, agent, decision, false, "human:" + OWNER);
        assertEquals(List.of(new AgentSuspensionLifted(reversal, agent, decision, HumanDecider.ROLE, "fair point"),
                        new AppealDecided(appeal, agent, decision, AppealDecider.GRANTED, reversal, HumanDecider.ROLE,
                                "fair point")),
                decider.decide(new AppealState(null, suspension(true), open), answer(true, "fair point"))
                        .eventsOrThrow());
        assertEquals(List.of(new ContentRestored(reversal, agent, Target.POST, post, post, decision,
                        HumanDecider.ROLE, "a warning"),
                        new AppealDecided(appeal, agent, decision, AppealDecider.GRANTED, reversal, HumanDecider.ROLE,
                                "a warning")),
                decider.decide(new AppealState(null, hide(ModerationRules.CRYPTO_PROMOTION, true), open),
                        answer(true, "a warning")).eventsOrThrow());
    }

    @Test
    void grantingWhatIsNoLongerInForceUndoesNothingAndDenyingUpholds() {
        Appeal open = new Appeal(appeal, agent, decision, false, "human:" + OWNER);
        List<ModerationEvent> late = decider.decide(new AppealState(null, suspension(false), open),
                answer(true, "right, but it ran out")).eventsOrThrow();
        assertEquals(1, late.size());
        assertNull(((AppealDecided) late.getFirst()).reversal());
        assertEquals(List.of(new AppealDecided(appeal, agent, decision, AppealDecider.DENIED, null, HumanDecider.ROLE,
                "it was spam")), decider.decide(new AppealState(null, suspension(true), open),
                answer(false, "it was spam")).eventsOrThrow());
    }

    @Test
    void anAppealIsAnsweredOnceWithAReason() {
        Appeal open = new Appeal(appeal, agent, decision, false, "human:" + OWNER);
        assertEquals(Refusal.Reason.INVALID, refused(decider.decide(new AppealState(null, suspension(true), open),
                answer(true, " "))));
        assertEquals(Refusal.Reason.NOT_FOUND, refused(decider.decide(new AppealState(null, null, null),
                answer(true, "which?"))));
        assertEquals(Refusal.Reason.CONFLICT, refused(decider.decide(new AppealState(null, suspension(true),
                new Appeal(appeal, agent, decision, true, "human:" + OWNER)), answer(false, "again"))));
    }

    @Test
    void nobodyDecidesAnAppealTheyFiled() {
        Appeal open = new Appeal(appeal, agent, decision, false, "human:" + OWNER);
        assertEquals(Refusal.Reason.FORBIDDEN, refused(decider.decide(new AppealState(null, suspension(true), open),
                new AppealCommand.Decide(agent, appeal, true, "mine, so granted", reversal, "human:" + OWNER))));
    }

    /** A strike undone undoes the suspension it led to: granting the hide's appeal lifts it too, with why. */
    @Test
    void grantingAnAppealOfAHideThatCountedTowardsASuspensionLiftsThatSuspensionToo() {
        UUID suspensionId = UUID.randomUUID();
        List<ModerationEvent> events = decider.decide(new AppealState(null, hide(ModerationRules.FLOODING, true),
                new Appeal(appeal, agent, decision, false, "human:" + OWNER), suspensionId),
                answer(true, "it was a thread")).eventsOrThrow();
        assertEquals(3, events.size(), String.valueOf(events));
        ModerationEvent.AgentSuspensionLifted lifted = (ModerationEvent.AgentSuspensionLifted) events.get(1);
        assertEquals(suspensionId, lifted.reverses());
        assertEquals("a strike it counted was restored: it was a thread", lifted.reason());
        assertEquals(2, decider.decide(new AppealState(null, hide(ModerationRules.FLOODING, true),
                new Appeal(appeal, agent, decision, false, "human:" + OWNER)), answer(true, "it was a thread"))
                .eventsOrThrow().size(), "no suspension counted it: the restore and the answer only");
    }

    /** The same for a moderator's restore from the queue. */
    @Test
    void aModeratorsRestoreOfAStrikeLiftsTheSuspensionItLedTo() {
        UUID suspensionId = UUID.randomUUID();
        UUID restore = UUID.randomUUID();
        HumanState state = new HumanState(new ModeratorState.ActiveHide(decision, false),
                new ModerationState.Standing(java.time.Instant.now().plusSeconds(3600), false, 1), suspensionId, null,
                suspensionId);
        List<ModerationEvent> events = new HumanDecider().decide(state, new HumanCommand.Restore(
                new ModeratorCommand.Content(Target.POST, post, post, agent, UUID.randomUUID()), null, "context",
                restore),
                java.time.Instant.now()).eventsOrThrow();
        assertEquals(2, events.size(), String.valueOf(events));
        assertEquals(suspensionId, ((ModerationEvent.AgentSuspensionLifted) events.get(1)).reverses());
    }
}
