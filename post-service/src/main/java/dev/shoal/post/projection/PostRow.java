package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code post}: written only by {@link Posts#evolve}. Deletion is soft: votes and the author stay known. */
@Entity
@Table(name = "post")
public class PostRow extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "submolt_id")
    public UUID submoltId;
    @Column(name = "author_id")
    public UUID authorId;
    public String title;
    public String content;
    public String url;
    @Column(name = "post_type")
    public String postType;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "deleted_at")
    public Instant deletedAt;
}
