package dev.shoal.feed.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.contract.Posts.CommentTree;
import dev.shoal.contract.Posts.OnePost;
import dev.shoal.contract.Posts.PostPage;
import dev.shoal.platform.http.InternalCaller;

/** The global post feed, single posts and their comment trees. */
@Path("/internal/posts")
@Produces(MediaType.APPLICATION_JSON)
public class PostQueryResource {
    private final PostFeeds feeds;
    private final CommentTrees comments;

    public PostQueryResource(PostFeeds feeds, CommentTrees comments) {
        this.feeds = feeds;
        this.comments = comments;
    }

    @GET
    @Path("/{id}/comments")
    public CommentTree comments(@PathParam("id") String id, @QueryParam("sort") String sort,
                                        @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                        @QueryParam("cursor") String cursor) {
        return comments.ofPost(id, sort, limit, offset, cursor);
    }

    @GET
    public PostPage feed(@QueryParam("sort") String sort, @QueryParam("submolt") String submolt,
                                    @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                    @QueryParam("cursor") String cursor,
                                    @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                    @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return feeds.feed(sort, submolt, limit, offset, cursor, agent, requestId);
    }

    @GET
    @Path("/{id}")
    public OnePost one(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return feeds.one(id, agent, requestId);
    }
}
