package dev.shoal.events;

/**
 * A fact recorded in Shoal's log: one of the sealed families, one per aggregate. Each family knows its topic and its
 * partition key, so {@code switch} over a family is checked for exhaustiveness by the compiler and no writer chooses
 * a topic by hand.
 */
public sealed interface ShoalEvent permits AgentEvent, FollowEvent, NotificationEvent, SubmoltEvent, PostStreamEvent, VoteEvent,
        ModerationEvent, ConversationEvent {
    /** The aggregate the fact belongs to; it is the Kafka key and the CloudEvents subject. */
    String subject();

    /** The topic every event of this family goes to. */
    Topic topic();
}
