package dev.shoal.identity.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.shoal.events.SealedText;

/** A row of {@code dm_message}: a message as the log carries it, sealed; written only by {@link Conversations#evolve}. */
@Entity
@Table(name = "dm_message")
public class DirectMessageRow extends PanacheEntityBase {
    @Id
    public UUID id;
    /** The conversation's stream version of the event that wrote it: the order of commit, which ids do not give. */
    public long seq;
    @Column(name = "conversation_id")
    public UUID conversationId;
    @Column(name = "sender_id")
    public UUID senderId;
    @Column(name = "recipient_id")
    public UUID recipientId;
    @Column(name = "key_id")
    public UUID keyId;
    public String nonce;
    public String ciphertext;
    @Column(name = "needs_human_input")
    public boolean needsHumanInput;
    @Column(name = "sent_at")
    public Instant sentAt;

    public SealedText sealed() {
        return new SealedText(keyId, nonce, ciphertext);
    }
}
