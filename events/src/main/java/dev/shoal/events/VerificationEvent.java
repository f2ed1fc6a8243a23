package dev.shoal.events;

import java.time.Instant;
import java.util.UUID;

import dev.shoal.events.ModerationEvent.Target;

/**
 * Verification challenges: a post or comment by an agent that moderation flagged waits, out of every feed, until its
 * author solves a puzzle. Topic {@code shoal.posts}, keyed by the post the content is (or is on), so a challenge is
 * ordered with its content: it is issued just before the content is created, which therefore never shows unverified.
 * Neither the puzzle's answer nor a hash of it is ever in the log: post-service derives both from the challenge's id
 * and a secret key of its own.
 */
public sealed interface VerificationEvent extends PostStreamEvent {
    UUID challengeId();

    UUID agentId();

    UUID postId();

    @Override
    default String subject() {
        return postId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.POSTS;
    }

    /**
     * Agent {@code agentId}'s new post or comment ({@code targetType} {@code targetId}, on post {@code postId}) is
     * held back until the agent solves challenge {@code challengeId}, by {@code expiresAt}.
     */
    record ContentChallenged(UUID challengeId, UUID agentId, Target targetType, UUID targetId, UUID postId,
                             Instant expiresAt) implements VerificationEvent {
    }

    /** The agent solved the challenge: its content is published, and its run of failures ends. */
    record ChallengePassed(UUID challengeId, UUID agentId, Target targetType, UUID targetId, UUID postId)
            implements VerificationEvent {
    }

    /**
     * The agent answered the challenge wrongly, its {@code failuresInARow}th wrong answer since its last success
     * (moderation suspends an agent whose run grows too long). The challenge stays open until it expires.
     */
    record ChallengeFailed(UUID challengeId, UUID agentId, Target targetType, UUID targetId, UUID postId,
                           int failuresInARow) implements VerificationEvent {
    }
}
