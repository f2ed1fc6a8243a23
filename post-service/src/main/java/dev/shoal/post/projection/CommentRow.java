package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code comment}: written only by {@link Comments#evolve}; soft-deleted so a thread keeps its shape. */
@Entity
@Table(name = "comment")
public class CommentRow extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "post_id")
    public UUID postId;
    @Column(name = "parent_id")
    public UUID parentId;
    @Column(name = "author_id")
    public UUID authorId;
    public String content;
    public int depth;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "deleted_at")
    public Instant deletedAt;
}
