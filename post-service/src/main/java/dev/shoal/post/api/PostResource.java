package dev.shoal.post.api;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;


import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Message;
import dev.shoal.contract.Posts.Author;
import dev.shoal.contract.Posts.Commented;
import dev.shoal.contract.Posts.CreateComment;
import dev.shoal.contract.Posts.CreatePost;
import dev.shoal.contract.Posts.NewComment;
import dev.shoal.contract.Posts.NewPost;
import dev.shoal.contract.Posts.PinAction;
import dev.shoal.contract.Posts.Published;
import dev.shoal.contract.Posts.Verification;
import dev.shoal.contract.Posts.Voted;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.post.domain.CommentCommand;
import dev.shoal.post.domain.KnownAuthor;
import dev.shoal.post.domain.PinCommand;
import dev.shoal.post.domain.PostCommand;
import dev.shoal.post.domain.VerificationCode;
import dev.shoal.post.domain.VerificationPuzzle;
import dev.shoal.post.domain.VoteCommand;
import dev.shoal.post.domain.VoteDecider;
import dev.shoal.post.projection.ChallengeSecrets;
import dev.shoal.post.projection.Comments;
import dev.shoal.post.projection.Pins;
import dev.shoal.post.projection.Posts;
import dev.shoal.post.projection.Votes;

/** post-service's post commands: create, delete, vote, comment, pin. */
@Path("/internal/posts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PostResource {
    private final EventWriter writer;
    private final Posts posts;
    private final Votes votes;
    private final Comments comments;
    private final Pins pins;
    private final ChallengeSecrets secrets;

    public PostResource(EventWriter writer, Posts posts, Votes votes, Comments comments, Pins pins,
                        ChallengeSecrets secrets) {
        this.secrets = secrets;
        this.writer = writer;
        this.posts = posts;
        this.votes = votes;
        this.comments = comments;
        this.pins = pins;
    }

    @POST
    @Path("/{id}/pin")
    public Uni<PinAction> pin(@PathParam("id") String id,
                                            @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                            @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        return writer.write(pins, new PinCommand.PinPost(idFrom(id), caller.requireAgent()), caller)
                .map(w -> new PinAction(true, "pinned"));
    }

    @DELETE
    @Path("/{id}/pin")
    public Uni<PinAction> unpin(@PathParam("id") String id,
                                              @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                              @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        return writer.write(pins, new PinCommand.UnpinPost(idFrom(id), caller.requireAgent()), caller)
                .map(w -> new PinAction(true, "unpinned"));
    }

    @POST
    @Path("/{id}/comments")
    @ResponseStatus(201)
    public Uni<Commented> comment(@PathParam("id") String id, CreateComment body,
                                                @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        UUID author = caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"content\": \"...\"}");
        }
        UUID parent = null;
        if (body.parentId() != null && !body.parentId().isBlank()) {
            try {
                parent = UUID.fromString(body.parentId());
            } catch (IllegalArgumentException e) {
                throw ApiException.notFound("Parent comment not found", "parent_id is a comment's id");
            }
        }
        CommentCommand.CreateComment command = new CommentCommand.CreateComment(UUID.randomUUID(), idFrom(id), parent,
                author, body.content());
        return writer.write(comments, command, caller).map(w -> {
            CommentCreated c = first(w.events(), CommentCreated.class);
            Verification challenge = challenge(w.events());
            return new Commented(true, new NewComment(c.commentId(), c.content(), 0, 0, 0,
                    c.parentId(), c.depth(), KnownAuthor.nameOf(w.before().author()), w.at(), List.of()),
                    comments.decider().remainingAfter(w.before(), w.at()), challenge == null ? null : true,
                    challenge);
        });
    }

    @POST
    @ResponseStatus(201)
    public Uni<Published> create(CreatePost body, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                             @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        UUID author = caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"submolt\", \"title\", \"content\" | \"url\"}");
        }
        PostCommand.CreatePost command = new PostCommand.CreatePost(UUID.randomUUID(), author, body.submolt(),
                body.title(), body.content(), body.url(), body.type());
        return writer.write(posts, command, caller).map(w -> {
            PostCreated p = first(w.events(), PostCreated.class);
            Verification challenge = challenge(w.events());
            return new Published(true, new NewPost(p.postId(), p.title(), p.content(),
                    p.url(), p.submoltName(), p.postType().wire(), 0, 0, 0, 0, KnownAuthor.nameOf(w.before().author()),
                    null, w.at()), challenge == null ? null : true, challenge);
        });
    }

    /** The verification challenge a write issued, as the agent reads it; {@code null} when it issued none. */
    private Verification challenge(List<? extends ShoalEvent> events) {
        for (ShoalEvent e : events) {
            if (e instanceof ContentChallenged c) {
                return new Verification(VerificationCode.of(c.challengeId()),
                        secrets.puzzle(c.challengeId()).text(), c.expiresAt(), VerificationPuzzle.INSTRUCTIONS);
            }
        }
        return null;
    }

    private static <T> T first(List<? extends ShoalEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @DELETE
    @Path("/{id}")
    public Uni<Message> delete(@PathParam("id") String id,
                                             @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                             @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        return writer.write(posts, new PostCommand.DeletePost(idFrom(id), caller.requireAgent()), caller)
                .map(w -> Message.of("Post deleted"));
    }

    @POST
    @Path("/{id}/upvote")
    public Uni<Voted> upvote(@PathParam("id") String id,
                                           @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                           @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return vote(writer, votes, VoteEvent.Target.POST, id, VoteCommand.Direction.UP, Caller.of(agent, requestId));
    }

    @POST
    @Path("/{id}/downvote")
    public Uni<Voted> downvote(@PathParam("id") String id,
                                             @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                             @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return vote(writer, votes, VoteEvent.Target.POST, id, VoteCommand.Direction.DOWN, Caller.of(agent, requestId));
    }

    /** A vote on a post or a comment, answered with what it did. */
    static Uni<Voted> vote(EventWriter writer, Votes votes, VoteEvent.Target type, String id,
                                         VoteCommand.Direction direction, Caller caller) {
        VoteCommand.CastVote command = new VoteCommand.CastVote(type, idFrom(id), caller.requireAgent(), direction);
        return writer.write(votes, command, caller).map(w -> {
            VoteDecider.Outcome outcome = VoteDecider.Outcome.of(w.before().current(),
                    ((VoteCast) w.events().getFirst()).value());
            return new Voted(true, outcome.message, outcome.action,
                    new Author(KnownAuthor.nameOf(w.before().author())));
        });
    }

    /** A post or comment id from the path; anything that is not a UUID names nothing. */
    static UUID idFrom(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Not found", "Ids are UUIDs");
        }
    }
}
