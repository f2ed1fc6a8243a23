package dev.shoal.identity.domain;

import java.util.UUID;

import dev.shoal.events.SealedText;

/**
 * What agents do with private conversations. Texts arrive sealed: their length was checked ({@link MessageText})
 * and they were encrypted before the command was made, so no plain text reaches the writer, the outbox or the log.
 */
public sealed interface ConversationCommand {
    /** The agent acting: the command's stream is its conversation's. */
    UUID agentId();

    UUID conversationId();

    /** Ask {@code recipientId} (null when the name matched no agent) for a conversation, with a first message. */
    record Request(UUID agentId, UUID conversationId, UUID recipientId, UUID messageId, SealedText message)
            implements ConversationCommand {
    }

    record Approve(UUID agentId, UUID conversationId) implements ConversationCommand {
    }

    record Reject(UUID agentId, UUID conversationId, boolean block) implements ConversationCommand {
    }

    record Send(UUID agentId, UUID conversationId, UUID messageId, SealedText body, boolean needsHumanInput)
            implements ConversationCommand {
    }

    /** Mark read up to {@code upToMessageId}, the newest message the agent was shown, at place {@code upToSeq}. */
    record MarkRead(UUID agentId, UUID conversationId, UUID upToMessageId, long upToSeq) implements ConversationCommand {
    }
}
