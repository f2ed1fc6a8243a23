package dev.shoal.post.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.PostEvent;
import dev.shoal.events.PostStreamEvent;
import dev.shoal.events.VerificationEvent;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.CommentEvent.CommentDeleted;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.secrets.SecretScanner;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.post.domain.CommentCommand;
import dev.shoal.post.domain.CommentCommand.CreateComment;
import dev.shoal.post.domain.CommentCommand.DeleteComment;
import dev.shoal.post.domain.CommentDecider;
import dev.shoal.post.domain.CommentState;
import dev.shoal.post.domain.CommentState.ExistingComment;

/**
 * Comments ({@code comment}), changed only by their events, on their post's stream (comment events are keyed by
 * the post). Writing one holds the author's commenting lock, so the cadence cannot be raced past.
 */
@ApplicationScoped
public class Comments implements WriteModel<CommentState, CommentCommand, PostStreamEvent> {
    private final CommentDecider decider;
    private final Verifications verifications;
    /** How far back an author's comments can still decide a new one's cadence. */
    private final Duration lookback;

    public Comments(LimitsConfig limits,
                    @ConfigProperty(name = "shoal.secrets.write-time.base64", defaultValue = "true")
                    boolean secretsInBase64, Verifications verifications) {
        this.verifications = verifications;
        this.lookback = java.util.stream.Stream.of(Duration.ofDays(1), limits.commentCooldown(),
                limits.newAgentCommentCooldown()).max(Duration::compareTo).orElseThrow();
        this.decider = new CommentDecider(new CommentDecider.Limits(limits.commentCooldown(), limits.commentsPerDay(),
                limits.newAgentCommentCooldown(), limits.newAgentCommentsPerDay(), limits.newAgentAge(),
                limits.challengeTtl()),
                new SecretScanner(secretsInBase64));
    }

    public CommentDecider decider() {
        return decider;
    }

    /**
     * A new comment is on its post's stream; a deletion on the stream of the post the comment is on (fixed when it
     * was written, so reading it before the lock is safe), or on its own id's when there is no such comment.
     */
    @Override
    public Uni<StreamId> stream(CommentCommand command) {
        return switch (command) {
            case CreateComment c -> Uni.createFrom().item(new StreamId(Topic.POSTS, c.postId().toString()));
            case DeleteComment d -> CommentRow.<CommentRow>findById(d.commentId()).map(c -> new StreamId(Topic.POSTS,
                    (c == null ? d.commentId() : c.postId).toString()));
        };
    }

    @Override
    public Uni<CommentState> load(CommentCommand command) {
        return switch (command) {
            case CreateComment c -> KnownAuthors.lockCadence("comment", c.authorId())
                    .chain(() -> published(c.postId()))
                    .chain(post -> repliable(c.parentId()).chain(parent -> KnownAuthors.find(c.authorId())
                            .chain(author -> bannedFrom(post, c.authorId()).chain(banned -> cadence(c.authorId(),
                                    Instant.now(), lookback).map(cadence -> CommentState.forCreate(post != null
                                            && post.deletedAt == null, parent != null, parent, author,
                                    cadence.last(), cadence.today(), banned))))));
            case DeleteComment d -> live(d.commentId()).map(CommentState::forDelete);
        };
    }

    @Override
    public Decision<PostStreamEvent> decide(CommentState state, CommentCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(PostStreamEvent event, EventEnvelope envelope) {
        return switch (event) {
            case VerificationEvent v -> verifications.apply(v, envelope);
            case PostEvent p -> throw new IllegalArgumentException("a comment's write model never decides posts");
            case CommentCreated c -> {
                CommentRow comment = new CommentRow();
                comment.id = c.commentId();
                comment.postId = c.postId();
                comment.parentId = c.parentId();
                comment.authorId = c.authorId();
                comment.content = c.content();
                comment.depth = c.depth();
                comment.createdAt = envelope.time();
                yield comment.persist().replaceWithVoid();
            }
            case CommentDeleted d -> CommentRow.<CommentRow>findById(d.commentId())
                    .invoke(c -> c.deletedAt = envelope.time()).replaceWithVoid();
        };
    }

    /** The name of the post's submolt when its moderators banned the author from it; null otherwise. */
    private static Uni<String> bannedFrom(PostRow post, UUID author) {
        if (post == null) {
            return Uni.createFrom().nullItem();
        }
        return SubmoltBanRow.banned(post.submoltId, author).chain(banned -> !banned ? Uni.createFrom().nullItem()
                : SubmoltRow.<SubmoltRow>findById(post.submoltId).map(s -> s == null ? "?" : s.name));
    }

    /** The post, unless it waits for its challenge: {@code null} then, as for no post. */
    private static Uni<PostRow> published(UUID id) {
        return PostRow.<PostRow>find("from PostRow p where p.id = ?1 and " + Verifications.published("p"), id)
                .firstResult();
    }

    /** A comment that exists and is not deleted (its author may delete it while it waits for its challenge). */
    private static Uni<ExistingComment> live(UUID id) {
        return CommentRow.<CommentRow>findById(id).map(Comments::existing);
    }

    /** A comment to reply to: live and waiting for no challenge; {@code null} otherwise and for a {@code null} id. */
    private static Uni<ExistingComment> repliable(UUID id) {
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        return CommentRow.<CommentRow>find("from CommentRow c where c.id = ?1 and " + Verifications.published("c"),
                id).firstResult().map(Comments::existing);
    }

    private static ExistingComment existing(CommentRow c) {
        return c == null || c.deletedAt != null ? null : new ExistingComment(c.postId, c.authorId, c.depth);
    }

    /** When the author last commented ({@code null}: never), and how often in the 24 hours before then. */
    private record Cadence(Instant last, int today) {
    }

    /**
     * Reads only the author's comments of the last {@code lookback} (a day, or the longest cooldown if longer): an
     * earlier comment decides neither, and a prolific author's whole history was read on every comment before.
     */
    private static Uni<Cadence> cadence(UUID author, Instant now, Duration lookback) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("""
                        select max(c.createdAt), sum(case when c.createdAt > :since then 1 else 0 end)
                        from CommentRow c where c.authorId = :author and c.createdAt > :lookback""", Object[].class)
                .setParameter("since", now.minus(Duration.ofDays(1)))
                .setParameter("lookback", now.minus(lookback))
                .setParameter("author", author)
                .getSingleResult())
                .map(row -> new Cadence((Instant) row[0], row[1] == null ? 0 : ((Number) row[1]).intValue()));
    }
}
