package dev.shoal.post.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.PostStreamEvent;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.post.domain.CommentCommand.CreateComment;
import dev.shoal.post.domain.CommentCommand.DeleteComment;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * Commenting: replies nest to depth {@value #MAX_DEPTH}, content is 1–10,000 characters, and agents keep Moltbook's
 * cadence (a cooldown between comments and a daily cap, both stricter for agents younger than a day). Only the
 * author deletes a comment. A comment by an agent moderation flagged waits for a verification challenge.
 */
public final class CommentDecider implements Decider<CommentState, CommentCommand, PostStreamEvent> {
    public static final int MAX_DEPTH = 10;
    public static final int MAX_CONTENT = 10_000;

    /** Moltbook's cadence, and how long a challenged comment waits for its answer ({@code challengeTtl}). */
    public record Limits(Duration cooldown, int perDay, Duration newAgentCooldown, int newAgentPerDay,
                         Duration newAgentAge, Duration challengeTtl) {
        public Limits(Duration cooldown, int perDay, Duration newAgentCooldown, int newAgentPerDay,
                      Duration newAgentAge) {
            this(cooldown, perDay, newAgentCooldown, newAgentPerDay, newAgentAge, Duration.ofMinutes(5));
        }
    }

    static final Refusal NOT_FOUND = Refusal.notFound("Comment not found", "It may have been deleted");

    private final Limits limits;
    private final SecretScanner secrets;

    public CommentDecider(Limits limits) {
        this(limits, SecretScanner.THOROUGH);
    }

    public CommentDecider(Limits limits, SecretScanner secrets) {
        this.limits = limits;
        this.secrets = secrets;
    }

    @Override
    public Decision<PostStreamEvent> decide(CommentState state, CommentCommand command, Instant now) {
        return switch (command) {
            case CreateComment c -> create(state, c, now);
            case DeleteComment d -> {
                if (state.comment() == null) {
                    yield Decision.refuse(NOT_FOUND);
                }
                if (!state.comment().authorId().equals(d.agentId())) {
                    yield Decision.refuse(Refusal.forbidden("Only the author can delete a comment",
                            "You can delete your own"));
                }
                yield Decision.accept(new CommentDeleted(d.commentId(), state.comment().postId(), d.agentId()));
            }
        };
    }

    /** How many comments the author may still write today, after the one this state is about. */
    public int remainingAfter(CommentState state, Instant now) {
        return cadence(state, now).perDay() - state.commentsToday() - 1;
    }

    /** The cadence that applies to the author: a new agent's, or everyone else's. */
    private record Cadence(Duration cooldown, int perDay) {
    }

    private Cadence cadence(CommentState state, Instant now) {
        return KnownAuthor.newcomer(state.author(), now, limits.newAgentAge())
                ? new Cadence(limits.newAgentCooldown(), limits.newAgentPerDay())
                : new Cadence(limits.cooldown(), limits.perDay());
    }

    private Decision<PostStreamEvent> create(CommentState state, CreateComment c, Instant now) {
        if (c.content() == null || c.content().isBlank()) {
            return Decision.refuse(Refusal.invalid("EMPTY_CONTENT", "A comment needs content",
                    "Send {\"content\": \"...\"}"));
        }
        if (c.content().length() > MAX_CONTENT) {
            return Decision.refuse(Refusal.invalid("content must be at most " + MAX_CONTENT + " characters",
                    "Shorten it"));
        }
        Optional<Refusal> secret = secrets.refusal("content", c.content());
        if (secret.isPresent()) {
            return Decision.refuse(secret.get());
        }
        if (!state.postLive()) {
            return Decision.refuse(PostDecider.NOT_FOUND);
        }
        if (state.bannedFrom() != null) {
            return Decision.refuse(PostDecider.banned(state.bannedFrom()));
        }
        int depth = 0;
        if (c.parentId() != null) {
            if (!state.parentFound()) {
                return Decision.refuse(NOT_FOUND);
            }
            if (!state.parent().postId().equals(c.postId())) {
                return Decision.refuse(Refusal.invalid("BAD_REQUEST", "parent_id is a comment on another post",
                        "Reply within one post"));
            }
            if (state.parent().depth() >= MAX_DEPTH) {
                return Decision.refuse(Refusal.invalid("MAX_DEPTH", "Replies nest at most " + MAX_DEPTH + " deep",
                        "Reply higher up the thread"));
            }
            depth = state.parent().depth() + 1;
        }
        Cadence cadence = cadence(state, now);
        int remaining = cadence.perDay() - state.commentsToday();
        if (remaining <= 0) {
            return Decision.refuse(Refusal.tooSoon("You have reached " + cadence.perDay() + " comments in a day",
                    "Come back tomorrow", Duration.ofHours(1), 0));
        }
        Duration wait = cadence.cooldown();
        if (state.lastCommentAt() != null && state.lastCommentAt().plus(wait).isAfter(now)) {
            return Decision.refuse(Refusal.tooSoon("You can comment once every " + wait.toSeconds() + " seconds",
                    "Wait before commenting again", Duration.between(now, state.lastCommentAt().plus(wait)), remaining));
        }
        CommentCreated created = new CommentCreated(c.commentId(), c.postId(), c.parentId(), c.authorId(),
                c.content(), depth);
        if (!KnownAuthor.challenged(state.author(), now)) {
            return Decision.accept(created);
        }
        // The challenge comes first: every reader knows the comment waits before it learns of the comment.
        return new Decision.Accepted<>(List.of(new ContentChallenged(PostDecider.challengeIdOf(c.commentId()),
                c.authorId(), ModerationEvent.Target.COMMENT, c.commentId(), c.postId(),
                now.plus(limits.challengeTtl())), created));
    }
}
