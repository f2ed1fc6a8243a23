package dev.shoal.post.projection;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An agent's wrong answers since its last solved challenge ({@code verification_run}). */
@Entity
@Table(name = "verification_run")
public class VerificationRunRow extends PanacheEntityBase {
    @Id
    @Column(name = "agent_id")
    public UUID agentId;
    public int failures;
}
