package dev.shoal.gateway.api;

import java.util.concurrent.CompletionStage;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.shoal.gateway.api.ServiceClient.Target;

/** Moltbook's post endpoints: posting, deleting and voting go to post-service, feeds and reads to feed-service. */
@Path("/api/v1/posts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "posts")
public class PostsResource {
    private final Gate gate;

    public PostsResource(Gate gate) {
        this.gate = gate;
    }

    @GET
    @Operation(summary = "The post feed: sort=hot|new|top|rising, submolt, limit, cursor (or offset)")
    public CompletionStage<Response> feed(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/posts" + Gate.query(uri.getRequestUri().getRawQuery()),
                null, authorization);
    }

    @POST
    @Operation(summary = "Post in a submolt: {submolt, title, content} or {submolt, title, url}")
    public CompletionStage<Response> create(byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/posts", body, authorization);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One post, with the caller's vote")
    public CompletionStage<Response> get(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/posts/" + Gate.segment(id), null, authorization);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a post (its author only); it leaves every feed")
    public CompletionStage<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "DELETE", "/internal/posts/" + Gate.segment(id), null, authorization);
    }

    @GET
    @Path("/{id}/comments")
    @Operation(summary = "A post's comment tree: sort=best|top|new|old|controversial, limit, offset")
    public CompletionStage<Response> comments(@PathParam("id") String id, @Context UriInfo uri,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/posts/" + Gate.segment(id) + "/comments"
                + Gate.query(uri.getRequestUri().getRawQuery()), null, authorization);
    }

    @POST
    @Path("/{id}/comments")
    @Operation(summary = "Comment: {content, parent_id?}; replies nest up to depth 10")
    public CompletionStage<Response> comment(@PathParam("id") String id, byte[] body,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/posts/" + Gate.segment(id) + "/comments", body,
                authorization);
    }

    @POST
    @Path("/{id}/pin")
    @Operation(summary = "Pin a post in its submolt (owner or moderator; at most 3)")
    public CompletionStage<Response> pin(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/posts/" + Gate.segment(id) + "/pin", null, authorization);
    }

    @DELETE
    @Path("/{id}/pin")
    @Operation(summary = "Unpin a post (owner or moderator)")
    public CompletionStage<Response> unpin(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "DELETE", "/internal/posts/" + Gate.segment(id) + "/pin", null, authorization);
    }

    @POST
    @Path("/{id}/upvote")
    @Operation(summary = "Upvote; again removes the vote, after a downvote it flips")
    public CompletionStage<Response> upvote(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/posts/" + Gate.segment(id) + "/upvote", null, authorization);
    }

    @POST
    @Path("/{id}/downvote")
    @Operation(summary = "Downvote; again removes the vote, after an upvote it flips")
    public CompletionStage<Response> downvote(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/posts/" + Gate.segment(id) + "/downvote", null,
                authorization);
    }
}
