package dev.shoal.post.projection;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.CommentEvent;
import dev.shoal.events.PostStreamEvent;
import dev.shoal.events.VerificationEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.PostEvent.PostDeleted;
import dev.shoal.events.Topic;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.secrets.SecretScanner;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.post.domain.PostCommand;
import dev.shoal.post.domain.PostCommand.CreatePost;
import dev.shoal.post.domain.PostCommand.DeletePost;
import dev.shoal.post.domain.PostDecider;
import dev.shoal.post.domain.PostState;

/**
 * Posts ({@code post}), changed only by their events. Creating one holds the author's posting lock, so parallel
 * posts by one agent cannot both pass the cooldown.
 */
@ApplicationScoped
public class Posts implements WriteModel<PostState, PostCommand, PostStreamEvent> {
    private final PostDecider decider;
    private final Verifications verifications;

    /** @param secretsInBase64 whether the write-time check looks inside base64 (moderation-service always does) */
    public Posts(LimitsConfig limits,
                 @ConfigProperty(name = "shoal.secrets.write-time.base64", defaultValue = "true")
                 boolean secretsInBase64, Verifications verifications) {
        this.decider = new PostDecider(new PostDecider.Limits(limits.postCooldown(), limits.newAgentPostCooldown(),
                limits.newAgentAge(), limits.challengeTtl()), new SecretScanner(secretsInBase64));
        this.verifications = verifications;
    }

    @Override
    public Uni<StreamId> stream(PostCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.POSTS, command.postId().toString()));
    }

    @Override
    public Uni<PostState> load(PostCommand command) {
        return switch (command) {
            case CreatePost c -> KnownAuthors.lockCadence("post", c.authorId())
                    .chain(() -> submolt(c.submolt(), c.authorId()))
                    .chain(submolt -> KnownAuthors.find(c.authorId())
                            .chain(author -> lastPostAt(c)
                                    .map(last -> PostState.forCreate(submolt, author, last))));
            case DeletePost d -> PostRow.<PostRow>findById(d.postId()).map(p -> PostState.forDelete(p == null ? null
                    : new PostState.ExistingPost(p.authorId, p.deletedAt != null)));
        };
    }

    @Override
    public Decision<PostStreamEvent> decide(PostState state, PostCommand command, Instant now) {
        return decider.decide(state, command, now);
    }

    @Override
    public Uni<Void> evolve(PostStreamEvent event, EventEnvelope envelope) {
        return switch (event) {
            case VerificationEvent v -> verifications.apply(v, envelope);
            case CommentEvent c -> throw new IllegalArgumentException("a post's write model never decides comments");
            case PostCreated c -> {
                PostRow post = new PostRow();
                post.id = c.postId();
                post.submoltId = c.submoltId();
                post.authorId = c.authorId();
                post.title = c.title();
                post.content = c.content();
                post.url = c.url();
                post.postType = c.postType().wire();
                post.createdAt = envelope.time();
                yield post.persist().replaceWithVoid();
            }
            case PostDeleted d -> PostRow.<PostRow>findById(d.postId()).invoke(p -> p.deletedAt = envelope.time())
                    .replaceWithVoid();
        };
    }

    private static Uni<PostState.SubmoltRef> submolt(String name, java.util.UUID author) {
        return SubmoltRow.open(name).chain(s -> s == null ? Uni.createFrom().<PostState.SubmoltRef>nullItem()
                : SubmoltBanRow.banned(s.id, author).map(banned -> new PostState.SubmoltRef(s.id, s.name, banned)));
    }

    private static Uni<Instant> lastPostAt(CreatePost c) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                        "select max(p.createdAt) from PostRow p where p.authorId = :author", Instant.class)
                .setParameter("author", c.authorId()).getSingleResult());
    }
}
