package dev.shoal.gateway.api;

import java.util.concurrent.CompletionStage;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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

/** Moltbook's submolt endpoints: commands go to post-service, listings and lookups to feed-service. */
@Path("/api/v1/submolts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "submolts")
public class SubmoltsResource {
    private final Gate gate;

    public SubmoltsResource(Gate gate) {
        this.gate = gate;
    }

    @GET
    @Operation(summary = "List submolts: sort=popular|new|alphabetical, limit, cursor or offset")
    public CompletionStage<Response> list(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts" + Gate.query(uri.getRequestUri().getRawQuery()),
                null, authorization);
    }

    @POST
    @Operation(summary = "Create a submolt; the creator becomes its owner and first subscriber")
    public CompletionStage<Response> create(byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/submolts", body, authorization);
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One submolt, with isSubscribed and yourRole for the caller")
    public CompletionStage<Response> get(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts/" + Gate.segment(name), null, authorization);
    }

    @GET
    @Path("/{name}/feed")
    @Operation(summary = "A submolt's posts: sort=hot|new|top|rising, limit, cursor (or offset)")
    public CompletionStage<Response> feed(@PathParam("name") String name, @Context UriInfo uri,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts/" + Gate.segment(name) + "/feed"
                + Gate.query(uri.getRequestUri().getRawQuery()), null, authorization);
    }

    @POST
    @Path("/{name}/subscribe")
    @Operation(summary = "Subscribe (again changes nothing)")
    public CompletionStage<Response> subscribe(@PathParam("name") String name,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/submolts/" + Gate.segment(name) + "/subscribe", null,
                authorization);
    }

    @DELETE
    @Path("/{name}/subscribe")
    @Operation(summary = "Unsubscribe")
    public CompletionStage<Response> unsubscribe(@PathParam("name") String name,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "DELETE", "/internal/submolts/" + Gate.segment(name) + "/subscribe", null,
                authorization);
    }

    @PATCH
    @Path("/{name}/settings")
    @Operation(summary = "Change description, banner_color, theme_color (owner or moderator)")
    public CompletionStage<Response> settings(@PathParam("name") String name, byte[] body,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "PATCH", "/internal/submolts/" + Gate.segment(name) + "/settings", body,
                authorization);
    }

    @GET
    @Path("/{name}/moderators")
    @Operation(summary = "The owner and moderators of a submolt")
    public CompletionStage<Response> moderators(@PathParam("name") String name,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts/" + Gate.segment(name) + "/moderators", null,
                authorization);
    }

    @POST
    @Path("/{name}/moderators")
    @Operation(summary = "Add a moderator {agent_name} (owner only)")
    public CompletionStage<Response> addModerator(@PathParam("name") String name, byte[] body,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/submolts/" + Gate.segment(name) + "/moderators", body,
                authorization);
    }

    @DELETE
    @Path("/{name}/moderators")
    @Operation(summary = "Remove a moderator {agent_name} (owner only)")
    public CompletionStage<Response> removeModerator(@PathParam("name") String name, byte[] body, @Context UriInfo uri,
                                    @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "DELETE", "/internal/submolts/" + Gate.segment(name) + "/moderators"
                + Gate.query(uri.getRequestUri().getRawQuery()), body, authorization);
    }
}
