package dev.shoal.identity.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A row of {@code api_key}: a key's keyed hash (never the key), live until {@link #revokedAt} is set. */
@Entity
@Table(name = "api_key")
public class ApiKeyRow extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "key_hash")
    public String keyHash;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The agent's working key, or {@code null} when it has none. */
    public static Uni<ApiKeyRow> active(UUID agentId) {
        return find("agentId = ?1 and revokedAt is null", agentId).firstResult();
    }
}
