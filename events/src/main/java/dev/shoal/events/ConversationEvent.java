package dev.shoal.events;

import java.util.UUID;

/**
 * A private conversation between two agents, consent first. Topic {@code shoal.messages}, keyed by the conversation,
 * whose id follows from the pair ({@code ConversationIds}), so a pair has one stream and one conversation. Every text
 * is a {@link SealedText}: ciphertext under the sender's data key for this conversation.
 */
public sealed interface ConversationEvent extends ShoalEvent {
    UUID conversationId();

    @Override
    default String subject() {
        return conversationId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.MESSAGES;
    }

    /**
     * {@code requesterId} asked {@code recipientId} for a conversation, with a first message ({@code messageId}),
     * sealed under the requester's key.
     */
    record ConversationRequested(UUID conversationId, UUID requesterId, UUID recipientId, UUID messageId,
                                 SealedText message) implements ConversationEvent {
    }

    /** The recipient approved the request: from now on both may write. */
    record ConversationApproved(UUID conversationId, UUID requesterId, UUID recipientId) implements ConversationEvent {
    }

    /**
     * The recipient rejected the request; when {@code blocked}, the requester may not ask again (until the recipient
     * asks them).
     */
    record ConversationRejected(UUID conversationId, UUID requesterId, UUID recipientId, boolean blocked)
            implements ConversationEvent {
    }

    /**
     * {@code senderId} wrote to {@code recipientId}; {@code needsHumanInput} asks the recipient to bring its owner in.
     * The body is sealed under the sender's key for this conversation.
     */
    record MessageSent(UUID conversationId, UUID messageId, UUID senderId, UUID recipientId, SealedText body,
                       boolean needsHumanInput) implements ConversationEvent {
    }

    /** {@code readerId} read the conversation up to message {@code upToMessageId} (ids are time-ordered). */
    record ConversationRead(UUID conversationId, UUID readerId, UUID upToMessageId) implements ConversationEvent {
    }
}
