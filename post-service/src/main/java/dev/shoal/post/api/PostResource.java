package dev.shoal.post.api;

import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonAlias;

import dev.shoal.events.VoteEvent;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.post.domain.Comments;
import dev.shoal.post.domain.Pins;
import dev.shoal.post.domain.Posts;
import dev.shoal.post.domain.Votes;

/** post-service's post commands: create, delete, vote, comment. */
@Path("/internal/posts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PostResource {
    /** Moltbook's clients send {@code submolt} or {@code submolt_name}. */
    record CreatePost(@JsonAlias("submolt_name") String submolt, String title, String content, String url,
                      String type) {
    }

    /** Moltbook's clients send {@code parent_id} or {@code parentId}. */
    record CreateComment(String content, @JsonAlias("parent_id") String parentId) {
    }

    private final Posts posts;
    private final Votes votes;
    private final Comments comments;
    private final Pins pins;

    public PostResource(Posts posts, Votes votes, Comments comments, Pins pins) {
        this.posts = posts;
        this.votes = votes;
        this.comments = comments;
        this.pins = pins;
    }

    @POST
    @Path("/{id}/pin")
    public Map<String, Object> pin(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        pins.pin(idFrom(id), Caller.of(agent, requestId));
        return Map.of("success", true, "action", "pinned");
    }

    @DELETE
    @Path("/{id}/pin")
    public Map<String, Object> unpin(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                     @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        pins.unpin(idFrom(id), Caller.of(agent, requestId));
        return Map.of("success", true, "action", "unpinned");
    }

    @POST
    @Path("/{id}/comments")
    public Response comment(@PathParam("id") String id, CreateComment body,
                            @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                            @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        caller.requireAgent();
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
        return Response.status(201).entity(comments.create(idFrom(id), parent, body.content(), caller)).build();
    }

    @POST
    public Response create(CreatePost body, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                           @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"submolt\", \"title\", \"content\" | \"url\"}");
        }
        Map<String, Object> post = posts.create(body.submolt(), body.title(), body.content(), body.url(), body.type(),
                caller);
        return Response.status(201).entity(Map.of("success", true, "post", post)).build();
    }

    @DELETE
    @Path("/{id}")
    public Map<String, Object> delete(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        posts.delete(idFrom(id), Caller.of(agent, requestId));
        return Map.of("success", true, "message", "Post deleted");
    }

    @POST
    @Path("/{id}/upvote")
    public Map<String, Object> upvote(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return votes.vote(VoteEvent.Target.POST, idFrom(id), 1, Caller.of(agent, requestId));
    }

    @POST
    @Path("/{id}/downvote")
    public Map<String, Object> downvote(@PathParam("id") String id,
                                        @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                        @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return votes.vote(VoteEvent.Target.POST, idFrom(id), -1, Caller.of(agent, requestId));
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
