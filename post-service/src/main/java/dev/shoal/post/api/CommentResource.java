package dev.shoal.post.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

import dev.shoal.contract.Message;
import dev.shoal.contract.Posts.Voted;
import dev.shoal.events.VoteEvent;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.post.domain.CommentCommand;
import dev.shoal.post.domain.VoteCommand;
import dev.shoal.post.projection.Comments;
import dev.shoal.post.projection.Votes;

/** post-service's comment commands: delete and vote. */
@Path("/internal/comments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CommentResource {
    private final EventWriter writer;
    private final Comments comments;
    private final Votes votes;

    public CommentResource(EventWriter writer, Comments comments, Votes votes) {
        this.writer = writer;
        this.comments = comments;
        this.votes = votes;
    }

    @DELETE
    @Path("/{id}")
    public Uni<Message> delete(@PathParam("id") String id,
                                             @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                             @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        return writer.write(comments, new CommentCommand.DeleteComment(PostResource.idFrom(id), caller.requireAgent()),
                caller).map(w -> Message.of("Comment deleted"));
    }

    @POST
    @Path("/{id}/upvote")
    public Uni<Voted> upvote(@PathParam("id") String id,
                                           @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                           @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return PostResource.vote(writer, votes, VoteEvent.Target.COMMENT, id, VoteCommand.Direction.UP,
                Caller.of(agent, requestId));
    }

    @POST
    @Path("/{id}/downvote")
    public Uni<Voted> downvote(@PathParam("id") String id,
                                             @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                             @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return PostResource.vote(writer, votes, VoteEvent.Target.COMMENT, id, VoteCommand.Direction.DOWN,
                Caller.of(agent, requestId));
    }
}
