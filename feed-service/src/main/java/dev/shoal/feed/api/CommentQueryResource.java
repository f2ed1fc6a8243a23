package dev.shoal.feed.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.contract.Posts.OneComment;

/** One comment with its replies. */
@Path("/internal/comments")
@Produces(MediaType.APPLICATION_JSON)
public class CommentQueryResource {
    private final CommentTrees comments;

    public CommentQueryResource(CommentTrees comments) {
        this.comments = comments;
    }

    @GET
    @Path("/{id}")
    public OneComment one(@PathParam("id") String id) {
        return comments.one(id);
    }
}
