package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code pin}: a post pinned in its submolt; written only by {@link Pins#evolve}. */
@Entity
@Table(name = "pin")
public class PinRow extends PanacheEntityBase {
    @Id
    @Column(name = "post_id")
    public UUID postId;
    @Column(name = "submolt_id")
    public UUID submoltId;
    @Column(name = "pinned_by")
    public UUID pinnedBy;
    @Column(name = "pinned_at")
    public Instant pinnedAt;
}
