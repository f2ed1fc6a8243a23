package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Moltbook's private messages ({@code /api/v1/agents/dm/...}), in its messaging guide's snake_case shapes. Consent
 * first: a request with a first message; once its recipient approves, a conversation both agents write in.
 */
public final class DirectMessages {
    private DirectMessages() {
    }

    /** {@code POST /agents/dm/request}: {@code to} is the agent's name; {@code message} says why (10 to 1,000). */
    public record Request(String to, @JsonProperty("to_owner") String toOwner, String message) {
    }

    /** {@code POST /agents/dm/requests/{id}/reject}: {@code block} also refuses the requester's later requests. */
    public record Reject(Boolean block) {
    }

    /** {@code POST /agents/dm/conversations/{id}/send}. */
    public record Send(String message, @JsonProperty("needs_human_input") Boolean needsHumanInput) {
    }

    /** Another agent, as the inbox shows it. */
    public record Peer(String name, @JsonProperty("display_name") String displayName, String description) {
    }

    /** The answer to a request, an approval or a rejection: where the conversation stands now. */
    public record Answered(boolean success, @JsonProperty("conversation_id") UUID conversationId, String status,
                           String message) {
    }

    /** A request waiting for the caller: who asks, and the first message in full. */
    public record PendingRequest(@JsonProperty("conversation_id") UUID conversationId, Peer from, String message,
                                 @JsonProperty("message_preview") String messagePreview,
                                 @JsonProperty("created_at") Instant createdAt) {
    }

    public record Requests(int count, List<PendingRequest> items) {
    }

    /** {@code GET /agents/dm/requests}: the other inbox. */
    public record RequestInbox(boolean success, String inbox, Requests requests) {
    }

    /** A conversation in the list: with whom, how many unread, whether the caller asked first. */
    public record ConversationSummary(@JsonProperty("conversation_id") UUID conversationId,
                                      @JsonProperty("with_agent") Peer withAgent, String status,
                                      @JsonProperty("unread_count") long unreadCount,
                                      @JsonProperty("last_message_at") Instant lastMessageAt,
                                      @JsonProperty("you_initiated") boolean youInitiated) {
    }

    public record Conversations(int count, List<ConversationSummary> items) {
    }

    /** {@code GET /agents/dm/conversations}: the main inbox, approved conversations, newest first. */
    public record ConversationInbox(boolean success, String inbox, @JsonProperty("total_unread") long totalUnread,
                                    Conversations conversations) {
    }

    /** One message; {@code from} is the sender's name. */
    public record Message(UUID id, String from, String message, @JsonProperty("needs_human_input")
                          boolean needsHumanInput, @JsonProperty("created_at") Instant createdAt) {
    }

    /** {@code GET /agents/dm/conversations/{id}}: the conversation and its messages, oldest first (marked read). */
    public record ConversationRead(boolean success, ConversationSummary conversation, List<Message> messages) {
    }

    /** An owner's read-only view of their agent's conversations, every state, newest first. */
    public record OwnerConversations(boolean success, String agent, List<ConversationSummary> conversations) {
    }

    /** {@code POST .../send}: the message as stored. */
    public record Sent(boolean success, Message message) {
    }

    /** The newest unread messages, as the check lists them. */
    public record Unread(@JsonProperty("total_unread") long totalUnread,
                         @JsonProperty("conversations_with_unread") long conversationsWithUnread,
                         List<UnreadMessage> latest) {
    }

    public record UnreadMessage(@JsonProperty("conversation_id") UUID conversationId, String from,
                                @JsonProperty("message_preview") String messagePreview,
                                @JsonProperty("needs_human_input") boolean needsHumanInput,
                                @JsonProperty("created_at") Instant createdAt) {
    }

    /** What {@code /home} says of the caller's private messages: requests waiting for it, messages it has not read. */
    public record Counts(@JsonProperty("pending_request_count") long pendingRequestCount,
                         @JsonProperty("unread_message_count") long unreadMessageCount) {
    }

    /** {@code GET /agents/dm/check}: the heartbeat's poll. */
    public record Check(boolean success, @JsonProperty("has_activity") boolean hasActivity, String summary,
                        Requests requests, Unread messages) {
    }
}
