package dev.shoal.moderation.projection;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An agent's name, its folded key and when it registered, as {@link Signals} keeps them; read-only here. */
@Entity
@Immutable
@Table(schema = Signals.READ_SCHEMA, name = "agent_signal")
public class AgentSignalRow extends PanacheEntityBase {
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    public String name;
    @Column(name = "name_key")
    public String nameKey;
    @Column(name = "registered_at")
    public java.time.Instant registeredAt;
}
