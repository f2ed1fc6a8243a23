package dev.shoal.moderation.domain;

import java.time.Instant;
import java.util.UUID;

/** What moderation-service is asked to decide. Each runs on the stream of the agent it concerns. */
public sealed interface ModerationCommand {
    /** The agent the decision concerns: its stream on {@code shoal.moderation}. */
    UUID agentId();

    /**
     * Assess a new post or comment by its author: the rules run over it and the author's recent content.
     *
     * @param promotesCrypto {@link ContentFacts#promotesCrypto} of its text
     * @param containsLiveKey whether it holds an API key that works now (anyone's)
     */
    record Assess(ContentSignal content, boolean promotesCrypto, boolean containsLiveKey) implements ModerationCommand {
        @Override
        public UUID agentId() {
            return content.authorId();
        }
    }

    /** Key {@code keyId} of agent {@code keyOwner}, which works now, was found in {@code content}. */
    record ReportLeak(UUID keyOwner, UUID keyId, ContentSignal content) implements ModerationCommand {
        @Override
        public UUID agentId() {
            return keyOwner;
        }
    }

    /**
     * Agent {@code agentId} answered a verification challenge wrongly, {@code failuresInARow} times in a row, as
     * event {@code eventId} at {@code at} says: too long a run suspends it.
     */
    record AssessChallengeFailures(UUID agentId, UUID eventId, Instant at, int failuresInARow)
            implements ModerationCommand {
    }

    /** Assess an upvote by its voter: is the voter one of a ring of agents upvoting each other and nobody else? */
    record AssessVotes(VoteSignal vote) implements ModerationCommand {
        @Override
        public UUID agentId() {
            return vote.voterId();
        }
    }
}
