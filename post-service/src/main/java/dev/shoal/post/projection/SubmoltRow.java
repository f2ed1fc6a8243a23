package dev.shoal.post.projection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

import dev.shoal.post.domain.SubmoltRules;

/** A row of {@code submolt}: written only by {@link Submolts#evolve}. */
@Entity
@Table(name = "submolt")
public class SubmoltRow extends PanacheEntityBase {
    @Id
    public UUID id;
    public String name;
    @Column(name = "display_name")
    public String displayName;
    public String description;
    @Column(name = "allow_crypto")
    public boolean allowCrypto;
    @Column(name = "banner_color")
    public String bannerColor;
    @Column(name = "theme_color")
    public String themeColor;
    @Column(name = "owner_id")
    public UUID ownerId;
    @Column(name = "created_at")
    public Instant createdAt;

    /** The submolt of that name, or {@code null}. */
    static Uni<SubmoltRow> named(String name) {
        if (name == null || name.isBlank() || name.length() > SubmoltRules.MAX_NAME) {
            return Uni.createFrom().nullItem();
        }
        return find("name", name).firstResult();
    }

    /** The submolt of that name, or {@code null} when there is none or it waits for its challenge: nobody sees or
     * uses a submolt before it is solved, its creator included. */
    static Uni<SubmoltRow> open(String name) {
        return named(name).chain(s -> s == null ? Uni.createFrom().<SubmoltRow>nullItem()
                : Verifications.pending(s.id).map(pending -> pending ? null : s));
    }
}
