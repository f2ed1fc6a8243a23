package dev.shoal.feed.api;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.platform.http.InternalCaller;

/** The global post feed and single posts. */
@Path("/internal/posts")
@Produces(MediaType.APPLICATION_JSON)
public class PostQueryResource {
    private final PostFeeds feeds;

    public PostQueryResource(PostFeeds feeds) {
        this.feeds = feeds;
    }

    @GET
    public Map<String, Object> feed(@QueryParam("sort") String sort, @QueryParam("submolt") String submolt,
                                    @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                    @QueryParam("cursor") String cursor,
                                    @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                    @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return feeds.feed(sort, submolt, limit, offset, cursor, agent, requestId);
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> one(@PathParam("id") String id, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                   @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return feeds.one(id, agent, requestId);
    }
}
