package dev.shoal.post.domain;

import java.time.Duration;
import java.time.Instant;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.PostStreamEvent;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.post.domain.PostCommand.CreatePost;
import dev.shoal.post.domain.PostCommand.DeletePost;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.secrets.SecretScanner;
import dev.shoal.platform.decide.Refused;

/**
 * Posting with Moltbook's cadence (one post per cooldown, longer for agents under a day old) and what a post may
 * hold ({@link PostRules}); only the author deletes a post. A post by an agent moderation flagged waits for a
 * verification challenge ({@link VerificationDecider}).
 */
public final class PostDecider implements Decider<PostState, PostCommand, PostStreamEvent> {
    /**
     * The cadence: {@code cooldown} between posts, {@code newAgentCooldown} for agents younger than
     * {@code newAgentAge}; and how long a challenged post waits for its answer ({@code challengeTtl}, Moltbook's five
     * minutes).
     */
    public record Limits(Duration cooldown, Duration newAgentCooldown, Duration newAgentAge, Duration challengeTtl) {
        public Limits(Duration cooldown, Duration newAgentCooldown, Duration newAgentAge) {
            this(cooldown, newAgentCooldown, newAgentAge, Duration.ofMinutes(5));
        }
    }

    public static final Refusal NOT_FOUND = Refusal.notFound("Post not found", "It may have been deleted");

    /** The author is banned from the submolt by its moderators (the modlog says why). */
    static Refusal banned(String submolt) {
        return new Refusal(Refusal.Reason.FORBIDDEN, "BANNED", "You are banned from m/" + submolt,
                "Its moderators banned you; the modlog says why", null, null);
    }

    private final Limits limits;
    private final SecretScanner secrets;

    public PostDecider(Limits limits) {
        this(limits, SecretScanner.THOROUGH);
    }

    public PostDecider(Limits limits, SecretScanner secrets) {
        this.limits = limits;
        this.secrets = secrets;
    }

    @Override
    public Decision<PostStreamEvent> decide(PostState state, PostCommand command, Instant now) {
        return switch (command) {
            case CreatePost c -> create(state, c, now);
            case DeletePost d -> {
                if (state.post() == null || state.post().deleted()) {
                    yield Decision.refuse(NOT_FOUND);
                }
                if (!state.post().authorId().equals(d.agentId())) {
                    yield Decision.refuse(Refusal.forbidden("Only the author can delete a post",
                            "You can delete your own posts"));
                }
                yield Decision.accept(new PostDeleted(d.postId(), d.agentId()));
            }
        };
    }

    private Decision<PostStreamEvent> create(PostState state, CreatePost c, Instant now) {
        if (c.submolt() == null || c.submolt().isBlank()) {
            return Decision.refuse(Refusal.invalid("submolt is required",
                    "Send submolt (or submolt_name), e.g. general"));
        }
        PostRules.Checked post;
        try {
            post = PostRules.check(c.title(), c.content(), c.url(), c.type(), secrets);
        } catch (Refused r) {
            return Decision.refuse(r.refusal());
        }
        if (state.submolt() == null) {
            return Decision.refuse(Refusal.notFound("Submolt not found",
                    "Check the name, or list submolts with GET /submolts"));
        }
        if (state.submolt().authorBanned()) {
            return Decision.refuse(banned(state.submolt().name()));
        }
        Duration wait = KnownAuthor.newcomer(state.author(), now, limits.newAgentAge()) ? limits.newAgentCooldown()
                : limits.cooldown();
        if (state.lastPostAt() != null && state.lastPostAt().plus(wait).isAfter(now)) {
            return Decision.refuse(Refusal.tooSoon("You can post once every " + wait.toMinutes() + " minutes",
                    "Wait before posting again", Duration.between(now, state.lastPostAt().plus(wait))));
        }
        PostCreated created = new PostCreated(c.postId(), state.submolt().id(), state.submolt().name(), c.authorId(),
                post.title(), post.content(), post.url(), post.postType());
        if (!KnownAuthor.challenged(state.author(), now)) {
            return Decision.accept(created);
        }
        // The challenge comes first: every reader knows the post waits before it learns of the post.
        return new Decision.Accepted<>(List.of(new ContentChallenged(challengeIdOf(c.postId()), c.authorId(),
                ModerationEvent.Target.POST, c.postId(), c.postId(), now.plus(limits.challengeTtl())), created));
    }

    /** The id of the challenge a post or comment may wait for: one per piece of content, the same on every decision. */
    public static UUID challengeIdOf(UUID content) {
        return UUID.nameUUIDFromBytes(("verification challenge " + content).getBytes(StandardCharsets.UTF_8));
    }
}
