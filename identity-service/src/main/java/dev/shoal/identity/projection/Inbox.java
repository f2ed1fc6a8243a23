package dev.shoal.identity.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.shoal.events.SealedText;

/**
 * What an agent's private inbox reads from the conversation tables: requests waiting for it, its open conversations
 * with their unread counts, one conversation's messages. Texts come out sealed; the API opens them for the caller.
 */
@ApplicationScoped
public class Inbox {
    private final Pool pool;

    public Inbox(Pool pool) {
        this.pool = pool;
    }

    public record Peer(UUID id, String name, String displayName, String description) {
    }

    public record Pending(UUID conversationId, Peer from, UUID messageId, SealedText message, Instant requestedAt) {
    }

    public record Conversation(UUID id, String status, boolean youInitiated, Peer with, long unread,
                               Instant lastMessageAt) {
    }

    /** A message; {@code seq} is its place in the conversation (the order of commit). */
    public record Message(UUID id, long seq, UUID conversationId, UUID senderId, SealedText text,
                          boolean needsHumanInput, Instant sentAt) {
    }

    public record Unread(long total, long conversations, List<Message> latest, List<Peer> senders) {
    }

    /** Requests waiting for {@code agentId}'s answer, newest first, each with its (latest) first message. */
    public Uni<List<Pending>> pending(UUID agentId, int limit) {
        return pool.preparedQuery("""
                        SELECT c.id, c.requested_at, a.id AS peer_id, a.name, a.display_name, a.description,
                               m.id AS message_id, m.key_id, m.nonce, m.ciphertext, k.wrapped IS NULL AS key_gone
                        FROM dm_conversation c
                        JOIN agent a ON a.id = c.requester_id
                        JOIN LATERAL (SELECT id, key_id, nonce, ciphertext FROM dm_message
                                      WHERE conversation_id = c.id AND sender_id = c.requester_id
                                      ORDER BY seq DESC LIMIT 1) m ON true
                        LEFT JOIN data_key k ON k.id = m.key_id
                        WHERE c.recipient_id = $1 AND c.status = 'pending' AND a.status <> 'erased'
                        ORDER BY c.requested_at DESC LIMIT $2""")
                .execute(Tuple.of(agentId, limit)).map(rows -> {
                    List<Pending> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Pending(r.getUUID("id"), peer(r), r.getUUID("message_id"), sealed(r),
                                instant(r, "requested_at")));
                    }
                    return out;
                });
    }

    /** How many requests wait for {@code agentId}'s answer, and how many messages it has not read: two counts. */
    public Uni<long[]> counts(UUID agentId) {
        return pool.preparedQuery("""
                        SELECT (SELECT count(*) FROM dm_conversation c JOIN agent a ON a.id = c.requester_id
                                WHERE c.recipient_id = $1 AND c.status = 'pending' AND a.status <> 'erased') AS pending,
                               (SELECT count(*)""" + unreadFrom("") + ") AS unread")
                .execute(Tuple.of(agentId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new long[] {r.getLong("pending"), r.getLong("unread")};
                });
    }

    /**
     * {@code agentId}'s conversations in {@code status} (any, when null), most recently written first, with what it
     * has not read.
     */
    public Uni<List<Conversation>> conversations(UUID agentId, String status, int limit) {
        return pool.preparedQuery(conversationQuery("(c.requester_id = $1 OR c.recipient_id = $1)"
                        + " AND ($2::text IS NULL OR c.status = $2)")
                        + " ORDER BY c.last_message_at DESC LIMIT $3")
                .execute(Tuple.of(agentId, status, limit)).map(rows -> {
                    List<Conversation> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(conversation(r, agentId));
                    }
                    return out;
                });
    }

    /** The agent's name, if it exists and was not erased (one primary-key read). */
    public Uni<Optional<String>> nameOfPresent(UUID agentId) {
        return pool.preparedQuery("SELECT name FROM agent WHERE id = $1 AND status <> 'erased'")
                .execute(Tuple.of(agentId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    /** Whether {@code agentId} is one of the conversation's two agents (one primary-key read). */
    public Uni<Boolean> isBetween(UUID agentId, UUID conversationId) {
        return pool.preparedQuery("SELECT 1 FROM dm_conversation WHERE id = $1 AND (requester_id = $2 OR recipient_id = $2)")
                .execute(Tuple.of(conversationId, agentId)).map(rows -> rows.size() > 0);
    }

    /** The conversation, if {@code agentId} is one of its two agents. */
    public Uni<Optional<Conversation>> conversation(UUID agentId, UUID conversationId) {
        return pool.preparedQuery(conversationQuery("c.id = $2 AND (c.requester_id = $1 OR c.recipient_id = $1)"))
                .execute(Tuple.of(agentId, conversationId))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(conversation(rows.iterator().next(), agentId)));
    }

    private static String conversationQuery(String where) {
        return """
                SELECT c.id, c.status, c.requester_id, c.last_message_at, a.id AS peer_id, a.name, a.display_name,
                       a.description,
                       (SELECT count(*) FROM dm_message m
                        WHERE m.conversation_id = c.id AND m.recipient_id = $1
                          AND m.seq > COALESCE((SELECT up_to_seq FROM dm_read_mark r
                                                WHERE r.conversation_id = c.id AND r.agent_id = $1), 0)) AS unread
                FROM dm_conversation c
                JOIN agent a ON a.id = CASE WHEN c.requester_id = $1 THEN c.recipient_id ELSE c.requester_id END
                WHERE %s""".formatted(where);
    }

    /** The newest {@code limit} messages of a conversation, oldest first. */
    public Uni<List<Message>> messages(UUID conversationId, int limit) {
        return pool.preparedQuery("""
                        SELECT * FROM (SELECT m.id, m.seq, m.conversation_id, m.sender_id, m.key_id, m.nonce,
                                              m.ciphertext, m.needs_human_input, m.sent_at,
                                              (k.wrapped IS NULL OR s.status = 'erased') AS key_gone
                                       FROM dm_message m
                                       JOIN agent s ON s.id = m.sender_id
                                       LEFT JOIN data_key k ON k.id = m.key_id
                                       WHERE m.conversation_id = $1 ORDER BY m.seq DESC LIMIT $2) newest
                        ORDER BY seq""")
                .execute(Tuple.of(conversationId, limit)).map(rows -> {
                    List<Message> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(message(r));
                    }
                    return out;
                });
    }

    /** What {@code agentId} has not read in its open conversations, and the newest {@code limit} of it. */
    public Uni<Unread> unread(UUID agentId, int limit) {
        Uni<Row> counts = pool.preparedQuery("SELECT count(*) AS total, count(DISTINCT m.conversation_id) AS convs"
                + unreadFrom("")).execute(Tuple.of(agentId)).map(rows -> rows.iterator().next());
        return counts.chain(c -> c.getLong("total") == 0
                ? Uni.createFrom().item(new Unread(0, 0, List.of(), List.of()))
                : pool.preparedQuery("SELECT m.id, m.seq, m.conversation_id, m.sender_id, m.key_id, m.nonce, m.ciphertext,"
                        + " m.needs_human_input, m.sent_at, a.id AS peer_id, a.name, a.display_name, a.description,"
                        + " (k.wrapped IS NULL OR a.status = 'erased') AS key_gone"
                        + unreadFrom(" JOIN agent a ON a.id = m.sender_id LEFT JOIN data_key k ON k.id = m.key_id")
                        + " ORDER BY m.sent_at DESC, m.seq DESC LIMIT $2")
                .execute(Tuple.of(agentId, limit)).map(rows -> {
                    List<Message> latest = new ArrayList<>();
                    List<Peer> senders = new ArrayList<>();
                    for (Row r : rows) {
                        latest.add(message(r));
                        senders.add(peer(r));
                    }
                    return new Unread(c.getLong("total"), c.getLong("convs"), latest, senders);
                }));
    }

    /**
     * The messages to agent {@code $1} past its read mark, in its open conversations; {@code join} adds a table.
     * It starts from the agent's conversations (two indexes) and reads each one's messages past the mark by
     * {@code (conversation_id, seq)}, so it never scans everything the agent ever received.
     */
    private static String unreadFrom(String join) {
        return """
                 FROM dm_conversation c
                LEFT JOIN dm_read_mark r ON r.conversation_id = c.id AND r.agent_id = $1
                JOIN dm_message m ON m.conversation_id = c.id AND m.recipient_id = $1
                                 AND m.seq > COALESCE(r.up_to_seq, 0)%s
                WHERE (c.requester_id = $1 OR c.recipient_id = $1) AND c.status = 'approved'"""
                .formatted(join);
    }

    private static Conversation conversation(Row r, UUID agentId) {
        return new Conversation(r.getUUID("id"), r.getString("status"), agentId.equals(r.getUUID("requester_id")),
                peer(r), r.getLong("unread"), instant(r, "last_message_at"));
    }

    private static Message message(Row r) {
        return new Message(r.getUUID("id"), r.getLong("seq"), r.getUUID("conversation_id"), r.getUUID("sender_id"),
                sealed(r), r.getBoolean("needs_human_input"), instant(r, "sent_at"));
    }

    private static Peer peer(Row r) {
        return new Peer(r.getUUID("peer_id"), r.getString("name"), r.getString("display_name"),
                r.getString("description"));
    }

    /**
     * The text as stored; {@code null} when the tables say its key is destroyed or its sender erased, so it reads as
     * erased whatever a replica's cache of keys still holds.
     */
    private static SealedText sealed(Row r) {
        return Boolean.TRUE.equals(r.getBoolean("key_gone")) ? null
                : new SealedText(r.getUUID("key_id"), r.getString("nonce"), r.getString("ciphertext"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
