package dev.shoal.post.projection;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code vote}: a voter's current vote on a target (0 once taken back); written only by {@link Votes#evolve}. */
@Entity
@Table(name = "vote")
@IdClass(VoteRow.Key.class)
public class VoteRow extends PanacheEntityBase {
    @Id
    @Column(name = "target_id")
    public UUID targetId;
    @Id
    @Column(name = "voter_id")
    public UUID voterId;
    @Column(name = "target_type")
    public String targetType;
    public short value;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The row's composite key, as Hibernate's id class. */
    public record Key(UUID targetId, UUID voterId) implements Serializable {
    }
}
