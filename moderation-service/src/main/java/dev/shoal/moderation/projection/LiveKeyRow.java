package dev.shoal.moderation.projection;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The keyed hash of an API key that works now, and whose it is, as {@link Signals} keeps it; read-only here. */
@Entity
@Immutable
@Table(schema = Signals.READ_SCHEMA, name = "live_key")
public class LiveKeyRow extends PanacheEntityBase {
    @Id
    @Column(name = "key_hash")
    public String keyHash;
    @Column(name = "key_id")
    public UUID keyId;
    @Column(name = "agent_id")
    public UUID agentId;
}
