package dev.shoal.identity.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code dm_conversation}: one pair's conversation, written only by {@link Conversations#evolve}. */
@Entity
@Table(name = "dm_conversation")
public class ConversationRow extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "requester_id")
    public UUID requesterId;
    @Column(name = "recipient_id")
    public UUID recipientId;
    /** {@code ConversationState.Status} in its wire form. */
    public String status;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "last_message_at")
    public Instant lastMessageAt;
}
