package dev.shoal.post.api;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.events.VoteEvent;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.post.domain.Comments;
import dev.shoal.post.domain.Votes;

/** post-service's comment commands: delete and vote. */
@Path("/internal/comments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CommentResource {
    private final Comments comments;
    private final Votes votes;

    public CommentResource(Comments comments, Votes votes) {
        this.comments = comments;
        this.votes = votes;
    }

    @DELETE
    @Path("/{id}")
    public Map<String, Object> delete(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        comments.delete(PostResource.idFrom(id), Caller.of(agent, requestId));
        return Map.of("success", true, "message", "Comment deleted");
    }

    @POST
    @Path("/{id}/upvote")
    public Map<String, Object> upvote(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return votes.vote(VoteEvent.Target.COMMENT, PostResource.idFrom(id), 1, Caller.of(agent, requestId));
    }

    @POST
    @Path("/{id}/downvote")
    public Map<String, Object> downvote(@PathParam("id") String id,
                                        @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                        @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return votes.vote(VoteEvent.Target.COMMENT, PostResource.idFrom(id), -1, Caller.of(agent, requestId));
    }
}
