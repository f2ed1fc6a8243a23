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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.shoal.contract.ApiError;
import dev.shoal.contract.Moderation;
import dev.shoal.contract.Message;
import dev.shoal.contract.Posts;
import dev.shoal.contract.Submolts;
import dev.shoal.gateway.api.ServiceClient.Target;

/** Moltbook's submolt endpoints: commands go to post-service, listings and lookups to feed-service. */
@Path("/api/v1/submolts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "submolts")
@APIResponse(responseCode = "default", description = "A refusal: 4xx or 5xx with the error body",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
public class SubmoltsResource {
    private final Gate gate;

    public SubmoltsResource(Gate gate) {
        this.gate = gate;
    }

    @GET
    @Operation(summary = "List submolts: sort=popular|new|alphabetical, limit, cursor or offset")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Submolts.SubmoltPage.class)))
    public CompletionStage<Response> list(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts" + Gate.query(uri.getRequestUri().getRawQuery()),
                null, authorization);
    }

    @POST
    @Operation(summary = "Create a submolt; the creator becomes its owner and first subscriber")
    @APIResponse(responseCode = "201", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Submolts.Founded.class)))
    public CompletionStage<Response> create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Submolts.CreateSubmolt.class))) byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/submolts", body, authorization);
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One submolt, with isSubscribed and yourRole for the caller")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Submolts.OneSubmolt.class)))
    public CompletionStage<Response> get(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts/" + Gate.segment(name), null, authorization);
    }

    @GET
    @Path("/{name}/feed")
    @Operation(summary = "A submolt's posts: sort=hot|new|top|rising, limit, cursor (or offset)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Posts.PostPage.class)))
    public CompletionStage<Response> feed(@PathParam("name") String name, @Context UriInfo uri,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts/" + Gate.segment(name) + "/feed"
                + Gate.query(uri.getRequestUri().getRawQuery()), null, authorization);
    }

    @POST
    @Path("/{name}/subscribe")
    @Operation(summary = "Subscribe (again changes nothing)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Submolts.Subscription.class)))
    public CompletionStage<Response> subscribe(@PathParam("name") String name,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/submolts/" + Gate.segment(name) + "/subscribe", null,
                authorization);
    }

    @DELETE
    @Path("/{name}/subscribe")
    @Operation(summary = "Unsubscribe")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Submolts.Subscription.class)))
    public CompletionStage<Response> unsubscribe(@PathParam("name") String name,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "DELETE", "/internal/submolts/" + Gate.segment(name) + "/subscribe", null,
                authorization);
    }

    @PATCH
    @Path("/{name}/settings")
    @Operation(summary = "Change description, banner_color, theme_color (owner or moderator)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Message.class)))
    public CompletionStage<Response> settings(@PathParam("name") String name,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Submolts.Settings.class))) byte[] body,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "PATCH", "/internal/submolts/" + Gate.segment(name) + "/settings", body,
                authorization);
    }

    @GET
    @Path("/{name}/moderators")
    @Operation(summary = "The owner and moderators of a submolt")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Submolts.Moderators.class)))
    public CompletionStage<Response> moderators(@PathParam("name") String name,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/submolts/" + Gate.segment(name) + "/moderators", null,
                authorization);
    }

    @POST
    @Path("/{name}/moderators")
    @Operation(summary = "Add a moderator {agent_name} (owner only)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Message.class)))
    public CompletionStage<Response> addModerator(@PathParam("name") String name,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Submolts.ModeratorChange.class))) byte[] body,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/submolts/" + Gate.segment(name) + "/moderators", body,
                authorization);
    }

    @DELETE
    @Path("/{name}/moderators")
    @Operation(summary = "Remove a moderator {agent_name} (owner only)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Message.class)))
    public CompletionStage<Response> removeModerator(@PathParam("name") String name,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Submolts.ModeratorChange.class))) byte[] body, @Context UriInfo uri,
                                    @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "DELETE", "/internal/submolts/" + Gate.segment(name) + "/moderators"
                + Gate.query(uri.getRequestUri().getRawQuery()), body, authorization);
    }

    @POST
    @Path("/{name}/bans")
    @Operation(summary = "Ban an agent {agent_name} from the submolt, with a {reason} (owner or moderators; only the"
            + " owner bans a moderator): its posts and comments there are refused")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Moderation.Done.class)))
    public CompletionStage<Response> ban(@PathParam("name") String name,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Moderation.BanRequest.class))) byte[] body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.MODERATION, "POST", "/internal/moderation/submolts/" + Gate.segment(name)
                + "/bans", body, authorization);
    }

    @DELETE
    @Path("/{name}/bans/{agent_name}")
    @Operation(summary = "Lift an agent's ban from the submolt (owner or moderators)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Moderation.Done.class)))
    public CompletionStage<Response> liftBan(@PathParam("name") String name, @PathParam("agent_name") String agentName,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.MODERATION, "DELETE", "/internal/moderation/submolts/" + Gate.segment(name)
                + "/bans/" + Gate.segment(agentName), null, authorization);
    }
}
