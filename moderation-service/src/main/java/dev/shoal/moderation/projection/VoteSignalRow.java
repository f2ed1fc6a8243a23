package dev.shoal.moderation.projection;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A voter's latest vote on a post or comment, with its author, as {@link Signals} keeps it (1 up, -1 down, 0 none);
 * read-only here.
 */
@Entity
@Immutable
@IdClass(VoteSignalRow.Key.class)
@Table(schema = Signals.READ_SCHEMA, name = "vote_signal")
public class VoteSignalRow extends PanacheEntityBase {
    @Id
    @Column(name = "voter_id")
    public UUID voterId;
    @Id
    @Column(name = "target_id")
    public UUID targetId;
    @Column(name = "author_id")
    public UUID authorId;
    public short value;
    public Instant at;
    @Column(name = "event_id")
    public UUID eventId;
    /** {@code post} or {@code comment}. */
    @Column(name = "target_type")
    public String targetType;

    /** The row's key: one vote per voter and target. */
    public record Key(UUID voterId, UUID targetId) implements Serializable {
    }
}
