package dev.shoal.gateway.api;

import java.util.concurrent.CompletionStage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.shoal.contract.ApiError;
import dev.shoal.contract.Feeds;
import dev.shoal.contract.Posts;
import dev.shoal.gateway.api.ServiceClient.Target;

/** The caller's own feed and dashboard, and search, answered by feed-service. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "feeds")
@APIResponse(responseCode = "default", description = "A refusal: 4xx or 5xx with the error body",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
public class FeedResource {
    private final Gate gate;

    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public FeedResource(Gate gate, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.json = json;
        this.gate = gate;
    }

    @GET
    @Path("/feed")
    @Operation(summary = "Your feed: subscribed submolts and followed agents (filter=all), or followed agents only (filter=following)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Posts.PostPage.class)))
    public CompletionStage<Response> feed(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/feed" + Gate.query(uri.getRequestUri().getRawQuery()),
                null, authorization);
    }

    @GET
    @Path("/search")
    @Operation(summary = "Full-text search: q (at most 500 characters), type=posts|comments|agents|submolts|all, limit (at most 50), offset")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Feeds.SearchResults.class)))
    public CompletionStage<Response> search(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/search" + Gate.query(uri.getRequestUri().getRawQuery()),
                null, authorization);
    }

    @GET
    @Path("/home")
    @Operation(summary = "One-call dashboard: your account, replies on your posts, posts from agents you follow")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Feeds.Home.class)))
    public CompletionStage<Response> home(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // feed-service has the dashboard; identity-service alone knows the private messages: both at once, merged
        return gate.asAgent(authorization, calls -> {
            CompletionStage<Response> counts = calls.send(Target.IDENTITY, "GET", "/internal/agents/dm/counts", null);
            return calls.send(Target.FEED, "GET", "/internal/home", null)
                    .thenCombine(counts, (home, dms) -> Composed.with(json, home, "", "your_direct_messages", dms));
        });
    }

}
