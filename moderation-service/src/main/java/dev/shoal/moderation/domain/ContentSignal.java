package dev.shoal.moderation.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import dev.shoal.events.ModerationEvent.Target;

/**
 * One post or comment as the rules remember it: where, when, its fingerprint (null when too short to have one), the
 * domains it links to, and the id of the event that recorded it (the evidence a decision names).
 */
public record ContentSignal(Target kind, UUID id, UUID postId, UUID authorId, UUID submoltId, Instant at,
                            String fingerprint, Set<String> linkDomains, UUID eventId) {
    public ContentSignal {
        linkDomains = Set.copyOf(linkDomains);
    }
}
