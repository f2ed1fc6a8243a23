package dev.shoal.feed.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.contract.Pages.PostView;
import dev.shoal.contract.Pages.SubmoltView;
import dev.shoal.contract.Posts.CommentTree;
import dev.shoal.contract.Posts.OnePost;
import dev.shoal.contract.Posts.PostPage;
import dev.shoal.contract.Submolts.OneSubmolt;
import dev.shoal.platform.http.InternalCaller;

/**
 * The web view's pages that need more than one of the API's reads, each answered in one call to feed-service (the
 * front page, a profile, search and the submolt list are the API's own reads). Read as anyone: no caller's votes.
 */
@Path("/internal/pages")
@Produces(MediaType.APPLICATION_JSON)
public class WebPageResource {
    private final PostFeeds feeds;
    private final CommentTrees comments;
    private final SubmoltQueryResource submolts;

    public WebPageResource(PostFeeds feeds, CommentTrees comments, SubmoltQueryResource submolts) {
        this.feeds = feeds;
        this.comments = comments;
        this.submolts = submolts;
    }

    @GET
    @Path("/submolts/{name}")
    public SubmoltView submolt(@PathParam("name") String name, @QueryParam("sort") String sort,
                               @QueryParam("cursor") String cursor, @QueryParam("offset") String offset,
                               @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        OneSubmolt submolt = submolts.get(name, null, requestId);
        PostPage page = feeds.feed(sort, submolt.submolt().name(), null, offset, cursor, null, requestId);
        return new SubmoltView(true, submolt.submolt(), page.data(), page.pagination());
    }

    @GET
    @Path("/posts/{id}")
    public PostView post(@PathParam("id") String id, @QueryParam("sort") String sort,
                         @QueryParam("cursor") String cursor, @QueryParam("offset") String offset,
                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        OnePost post = feeds.one(id, null, requestId);
        CommentTree tree = comments.ofPost(id, sort, null, offset, cursor);
        return new PostView(true, post.post(), tree.comments(), tree.pagination());
    }
}
