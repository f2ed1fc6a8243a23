package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.moderation.domain.ContentSignal;

/** A post or comment as {@link Signals} keeps it; read-only here (the projection runner writes it). */
@Entity
@Immutable
@Table(schema = Signals.READ_SCHEMA, name = "content_signal")
public class ContentSignalRow extends PanacheEntityBase {
    @Id
    public UUID id;
    public String kind;
    @Column(name = "post_id")
    public UUID postId;
    @Column(name = "author_id")
    public UUID authorId;
    @Column(name = "submolt_id")
    public UUID submoltId;
    public Instant at;
    public String fingerprint;
    @Column(name = "link_domains")
    public String linkDomains;
    @Column(name = "event_id")
    public UUID eventId;

    public ContentSignal signal() {
        Set<String> domains = linkDomains.isBlank() ? Set.of()
                : Arrays.stream(linkDomains.split(" ")).collect(Collectors.toSet());
        return new ContentSignal("post".equals(kind) ? Target.POST : Target.COMMENT, id, postId, authorId, submoltId,
                at, fingerprint, domains, eventId);
    }
}
