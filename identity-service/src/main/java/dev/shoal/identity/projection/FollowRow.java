package dev.shoal.identity.projection;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code follow}: {@link #followerId} follows {@link #followeeId}. */
@Entity
@Table(name = "follow")
@IdClass(FollowRow.Key.class)
public class FollowRow extends PanacheEntityBase {
    @Id
    @Column(name = "follower_id")
    public UUID followerId;
    @Id
    @Column(name = "followee_id")
    public UUID followeeId;
    @Column(name = "created_at")
    public Instant createdAt;

    /** The row's composite key, as Hibernate's id class. */
    public record Key(UUID followerId, UUID followeeId) implements Serializable {
    }
}
