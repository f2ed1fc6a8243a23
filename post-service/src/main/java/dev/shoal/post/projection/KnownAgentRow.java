package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An agent as the {@link KnownAgents} projection knows it, read by the write models through this build's views of it
 * ({@link KnownAgents#READ_SCHEMA}: the version this build's code made). Read-only here: the projection runner writes it.
 */
@Entity
@Immutable
@Table(schema = KnownAgents.READ_SCHEMA, name = "known_agent")
public class KnownAgentRow extends PanacheEntityBase {
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    public String name;
    @Column(name = "name_key")
    public String nameKey;
    @Column(name = "registered_at")
    public Instant registeredAt;
    /** When a human claimed it; null while unclaimed. */
    @Column(name = "claimed_at")
    public Instant claimedAt;
}
