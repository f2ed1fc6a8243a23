package dev.shoal.moderation.domain;

import java.time.Instant;
import java.util.UUID;

/** An upvote as the vote-ring rule sees it: who upvoted whose post or comment, when, and the event that said so. */
public record VoteSignal(UUID voterId, UUID targetId, UUID authorId, Instant at, UUID eventId) {
}
