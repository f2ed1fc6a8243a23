package dev.shoal.moderation.projection;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Which human (by subject) owns an agent, as {@link Signals} learns it from claims; read-only here. */
@Entity
@Immutable
@Table(schema = Signals.READ_SCHEMA, name = "agent_owner")
public class AgentOwnerRow extends PanacheEntityBase {
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "owner_subject")
    public String ownerSubject;
}
