package dev.shoal.identity.projection;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code dm_read_mark}: how far {@link #agentId} has read a conversation. */
@Entity
@Table(name = "dm_read_mark")
@IdClass(ReadMarkRow.Key.class)
public class ReadMarkRow extends PanacheEntityBase {
    @Id
    @Column(name = "conversation_id")
    public UUID conversationId;
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "up_to_message_id")
    public UUID upToMessageId;
    @Column(name = "up_to_seq")
    public long upToSeq;

    /** The row's composite key, as Hibernate's id class. */
    public record Key(UUID conversationId, UUID agentId) implements Serializable {
    }
}
