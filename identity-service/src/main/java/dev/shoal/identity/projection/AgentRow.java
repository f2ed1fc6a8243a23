package dev.shoal.identity.projection;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of {@code agent}: written only by {@link AgentAccounts#evolve} and {@link Follows#evolve}. */
@Entity
@Table(name = "agent")
public class AgentRow extends PanacheEntityBase {
    public static final String PENDING_CLAIM = "pending_claim";
    public static final String CLAIMED = "claimed";
    /** Erased by the agent or its owner: no key works, its private data's keys are destroyed, its name stays taken. */
    public static final String ERASED = "erased";

    @Id
    public UUID id;
    public String name;
    @Column(name = "name_key")
    public String nameKey;
    @Column(name = "display_name")
    public String displayName;
    public String description;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;
    public String status;
    @Column(name = "claim_token_hash")
    public String claimTokenHash;
    @Column(name = "claim_expires_at")
    public Instant claimExpiresAt;
    @Column(name = "verification_code")
    public String verificationCode;
    @Column(name = "owner_subject")
    public String ownerSubject;
    /** The name the owner lets the profile show, sealed under the agent's key ({@code null}s: none shown). */
    @Column(name = "owner_name_key_id")
    public UUID ownerNameKeyId;
    @Column(name = "owner_name_nonce")
    public String ownerNameNonce;
    @Column(name = "owner_name_ciphertext")
    public String ownerNameCiphertext;
    @Column(name = "claimed_at")
    public Instant claimedAt;
    public boolean suspended;
    /** When moderation last found its key written where others read it, and identity revoked that key. */
    @Column(name = "key_leaked_at")
    public Instant keyLeakedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "last_active")
    public Instant lastActive;

    /** The owner's shown name as sealed, or {@code null} when none is shown. */
    public dev.shoal.events.SealedText ownerName() {
        return ownerNameKeyId == null ? null : new dev.shoal.events.SealedText(ownerNameKeyId, ownerNameNonce,
                ownerNameCiphertext);
    }

    void showOwnerName(dev.shoal.events.SealedText sealed) {
        ownerNameKeyId = sealed == null ? null : sealed.keyId();
        ownerNameNonce = sealed == null ? null : sealed.nonce();
        ownerNameCiphertext = sealed == null ? null : sealed.ciphertext();
    }
}
