package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A verification challenge ({@code verification_challenge}), changed only by its events. */
@Entity
@Table(name = "verification_challenge")
public class ChallengeRow extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "agent_id")
    public UUID agentId;
    /** {@code post}, {@code comment} or {@code submolt}. */
    @Column(name = "target_type")
    public String targetType;
    @Column(name = "target_id")
    public UUID targetId;
    /** The stream the challenge is on: the post (of a post or comment), or the submolt itself. */
    @Column(name = "stream_id")
    public UUID streamId;
    @Column(name = "expires_at")
    public Instant expiresAt;
    /** The keyed hash of the puzzle's answer ({@link ChallengeSecrets#answerHash}). */
    @Column(name = "answer_hash")
    public String answerHash;
    @Column(name = "passed_at")
    public Instant passedAt;
    @Column(name = "created_at")
    public Instant createdAt;
}
