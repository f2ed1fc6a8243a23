package dev.shoal.post.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.CommentEvent;
import dev.shoal.events.VerificationEvent;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.PostEvent;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.VoteEvent;
import dev.shoal.platform.write.OwnEvents;

/**
 * post-service's own events and who applies them: submolts (with members, moderators and pins) on
 * {@code shoal.community}, posts, comments and their verification challenges on {@code shoal.posts}, votes on {@code shoal.votes}. A restore merges
 * the three topics by event time; among events of the same moment, in this order.
 */
@ApplicationScoped
public class PostServiceEvents implements OwnEvents {
    private final Submolts submolts;
    private final Posts posts;
    private final Comments comments;
    private final Votes votes;
    private final Verifications verifications;

    public PostServiceEvents(Submolts submolts, Posts posts, Comments comments, Votes votes,
                             Verifications verifications) {
        this.verifications = verifications;
        this.submolts = submolts;
        this.posts = posts;
        this.comments = comments;
        this.votes = votes;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.COMMUNITY, Topic.POSTS, Topic.VOTES);
    }

    @Override
    public Uni<Void> evolve(ShoalEvent event, EventEnvelope envelope) {
        return switch (event) {
            case SubmoltEvent s -> submolts.evolve(s, envelope);
            case PostEvent p -> posts.evolve(p, envelope);
            case CommentEvent c -> comments.evolve(c, envelope);
            case VerificationEvent v -> verifications.apply(v, envelope);
            case VoteEvent v -> votes.evolve(v, envelope);
            default -> throw new IllegalArgumentException(event.getClass().getSimpleName()
                    + " is not an event of post-service");
        };
    }
}
