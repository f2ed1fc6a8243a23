package dev.shoal.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import dev.shoal.events.AgentEvent.AgentProfileUpdated;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.events.AgentEvent.AgentClaimed;
import dev.shoal.events.AgentEvent.AgentReleasedByOwner;
import dev.shoal.events.AgentEvent.AgentSuspendedByOwner;
import dev.shoal.events.AgentEvent.ApiKeyRevoked;
import dev.shoal.events.AgentEvent.ApiKeyRotated;
import dev.shoal.events.AgentEvent.LeakedApiKeyRevoked;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.FollowEvent.AgentUnfollowed;
import dev.shoal.events.ModerationEvent.AgentBannedFromSubmolt;
import dev.shoal.events.ModerationEvent.AgentSuspended;
import dev.shoal.events.ModerationEvent.AgentSuspensionLifted;
import dev.shoal.events.ModerationEvent.ChallengesRequired;
import dev.shoal.events.VerificationEvent.ChallengeFailed;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.ModerationEvent.LeakedKeyFound;
import dev.shoal.events.ModerationEvent.ReportFiled;
import dev.shoal.events.ModerationEvent.ReportResolved;
import dev.shoal.events.ModerationEvent.AppealDecided;
import dev.shoal.events.ModerationEvent.AppealFiled;
import dev.shoal.events.ModerationEvent.SubmoltBanLifted;
import dev.shoal.events.NotificationEvent.NotificationsRead;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.events.SubmoltEvent.PostPinned;
import dev.shoal.events.SubmoltEvent.PostUnpinned;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorRemoved;
import dev.shoal.events.SubmoltEvent.SubmoltSettingsUpdated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.SubmoltEvent.SubmoltUnsubscribed;
import dev.shoal.events.VoteEvent.VoteCast;

/**
 * The one place that knows every event type: which record each current {@code ce_type} decodes to, and how an
 * older version is upcast to the current one. A change to an event that is not additive gets a new {@code vN} type
 * and an {@link Upcast} from the old one here; old events stay readable forever.
 */
public final class EventTypes {

    /** Turns the JSON of {@code fromType} into the JSON of {@code toType} (which may itself be upcast further). */
    public record Upcast(String fromType, String toType, UnaryOperator<JsonNode> transform) {
    }

    /** A type registered as current, and the record class it decodes to. */
    public record Registration(String type, Class<? extends ShoalEvent> recordClass) {
    }

    /** The result of upcasting: JSON in the shape of a current type. */
    public record Current(String type, Class<? extends ShoalEvent> recordClass, JsonNode data) {
    }

    private static final EventTypes LOG = new EventTypes(List.of(
            new Registration("shoal.agent.registered.v1", AgentRegistered.class),
            new Registration("shoal.agent.profile-updated.v1", AgentProfileUpdated.class),
            new Registration("shoal.agent.key-rotated.v1", ApiKeyRotated.class),
            new Registration("shoal.agent.key-revoked.v1", ApiKeyRevoked.class),
            new Registration("shoal.agent.leaked-key-revoked.v1", LeakedApiKeyRevoked.class),
            new Registration("shoal.agent.claimed.v2", AgentClaimed.class),
            new Registration("shoal.agent.suspended-by-owner.v1", AgentSuspendedByOwner.class),
            new Registration("shoal.agent.released-by-owner.v1", AgentReleasedByOwner.class),
            new Registration("shoal.agent.erased.v1", AgentEvent.AgentErased.class),
            new Registration("shoal.agent.followed.v1", AgentFollowed.class),
            new Registration("shoal.agent.unfollowed.v1", AgentUnfollowed.class),
            new Registration("shoal.notifications.read.v1", NotificationsRead.class),
            new Registration("shoal.conversation.requested.v1", ConversationEvent.ConversationRequested.class),
            new Registration("shoal.conversation.approved.v1", ConversationEvent.ConversationApproved.class),
            new Registration("shoal.conversation.rejected.v1", ConversationEvent.ConversationRejected.class),
            new Registration("shoal.conversation.message-sent.v1", ConversationEvent.MessageSent.class),
            new Registration("shoal.conversation.read.v1", ConversationEvent.ConversationRead.class),
            new Registration("shoal.submolt.created.v1", SubmoltCreated.class),
            new Registration("shoal.submolt.settings-updated.v1", SubmoltSettingsUpdated.class),
            new Registration("shoal.submolt.subscribed.v1", SubmoltSubscribed.class),
            new Registration("shoal.submolt.unsubscribed.v1", SubmoltUnsubscribed.class),
            new Registration("shoal.submolt.moderator-added.v1", SubmoltModeratorAdded.class),
            new Registration("shoal.submolt.moderator-removed.v1", SubmoltModeratorRemoved.class),
            new Registration("shoal.submolt.post-pinned.v1", PostPinned.class),
            new Registration("shoal.submolt.post-unpinned.v1", PostUnpinned.class),
            new Registration("shoal.post.created.v1", PostCreated.class),
            new Registration("shoal.post.deleted.v1", PostDeleted.class),
            new Registration("shoal.comment.created.v1", CommentCreated.class),
            new Registration("shoal.comment.deleted.v1", CommentDeleted.class),
            new Registration("shoal.vote.cast.v1", VoteCast.class),
            new Registration("shoal.moderation.leaked-key-found.v1", LeakedKeyFound.class),
            new Registration("shoal.moderation.content-hidden.v1", ContentHidden.class),
            new Registration("shoal.moderation.content-restored.v1", ContentRestored.class),
            new Registration("shoal.moderation.content-downranked.v1", ModerationEvent.ContentDownranked.class),
            new Registration("shoal.moderation.rank-restored.v1", ModerationEvent.ContentRankRestored.class),
            new Registration("shoal.moderation.agent-suspended.v1", AgentSuspended.class),
            new Registration("shoal.moderation.suspension-lifted.v1", AgentSuspensionLifted.class),
            new Registration("shoal.moderation.challenges-required.v1", ChallengesRequired.class),
            new Registration("shoal.verification.content-challenged.v1", ContentChallenged.class),
            new Registration("shoal.verification.challenge-passed.v1", ChallengePassed.class),
            new Registration("shoal.verification.challenge-failed.v1", ChallengeFailed.class),
            new Registration("shoal.submolt.challenged.v1", SubmoltEvent.SubmoltChallenged.class),
            new Registration("shoal.submolt.challenge-passed.v1", SubmoltEvent.SubmoltChallengePassed.class),
            new Registration("shoal.submolt.challenge-failed.v1", SubmoltEvent.SubmoltChallengeFailed.class),
            new Registration("shoal.moderation.banned-from-submolt.v1", AgentBannedFromSubmolt.class),
            new Registration("shoal.moderation.submolt-ban-lifted.v1", SubmoltBanLifted.class),
            new Registration("shoal.moderation.report-filed.v1", ReportFiled.class),
            new Registration("shoal.moderation.report-resolved.v1", ReportResolved.class),
            new Registration("shoal.moderation.appeal-filed.v1", AppealFiled.class),
            new Registration("shoal.moderation.appeal-decided.v1", AppealDecided.class)),
            List.of(
                    // v1 carried the owner's shown name in clear. It is not read any more: personal data is shown
                    // only from what its agent's key can open (and erase), so a v1 claim reads as one without a name.
                    new Upcast("shoal.agent.claimed.v1", "shoal.agent.claimed.v2",
                            data -> ((com.fasterxml.jackson.databind.node.ObjectNode) data).putNull("ownerName"))));

    private final Map<String, Class<? extends ShoalEvent>> classByType = new HashMap<>();
    private final Map<Class<? extends ShoalEvent>, String> typeByClass = new HashMap<>();
    private final Map<String, Upcast> upcastByType = new HashMap<>();

    EventTypes(List<Registration> current, List<Upcast> upcasts) {
        for (Registration r : current) {
            if (classByType.put(r.type(), r.recordClass()) != null || typeByClass.put(r.recordClass(), r.type()) != null) {
                throw new IllegalArgumentException("registered twice: " + r);
            }
        }
        for (Upcast u : upcasts) {
            if (classByType.containsKey(u.fromType())) {
                throw new IllegalArgumentException(u.fromType() + " is current and cannot be upcast");
            }
            upcastByType.put(u.fromType(), u);
        }
    }

    /** The {@code ce_type} of an event record. */
    public static String typeOf(ShoalEvent event) {
        return LOG.currentTypeOf(event.getClass());
    }

    /** Every current type with its record class (samples of each are kept by the tests). */
    public static Map<String, Class<? extends ShoalEvent>> current() {
        return Map.copyOf(LOG.classByType);
    }

    static Current upcast(String type, JsonNode data) {
        return LOG.toCurrent(type, data);
    }

    String currentTypeOf(Class<?> recordClass) {
        String type = typeByClass.get(recordClass);
        if (type == null) {
            throw new IllegalArgumentException(recordClass.getName() + " is not a registered event");
        }
        return type;
    }

    Current toCurrent(String type, JsonNode data) {
        String t = type;
        JsonNode json = data;
        for (int hops = 0; !classByType.containsKey(t); hops++) {
            Upcast u = upcastByType.get(t);
            if (u == null || hops > upcastByType.size()) {
                throw new UnknownEventTypeException(type);
            }
            json = u.transform().apply(json.deepCopy());
            t = u.toType();
        }
        return new Current(t, classByType.get(t), json);
    }
}
