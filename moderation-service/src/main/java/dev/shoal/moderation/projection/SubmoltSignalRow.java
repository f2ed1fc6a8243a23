package dev.shoal.moderation.projection;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A submolt's name and crypto setting as {@link Signals} keeps it; read-only here. */
@Entity
@Immutable
@Table(schema = Signals.READ_SCHEMA, name = "submolt_signal")
public class SubmoltSignalRow extends PanacheEntityBase {
    @Id
    @Column(name = "submolt_id")
    public UUID submoltId;
    @Column(name = "allow_crypto")
    public boolean allowCrypto;
    public String name;
}
