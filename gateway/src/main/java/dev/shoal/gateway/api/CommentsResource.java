package dev.shoal.gateway.api;

import java.util.concurrent.CompletionStage;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
import dev.shoal.gateway.api.ServiceClient.Target;

/** Moltbook's comment endpoints. */
@Path("/api/v1/comments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "comments")
@APIResponse(responseCode = "default", description = "A refusal: 4xx or 5xx with the error body",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
public class CommentsResource {
    private final Gate gate;

    public CommentsResource(Gate gate) {
        this.gate = gate;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One comment with its replies")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Posts.OneComment.class)))
    public CompletionStage<Response> get(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/comments/" + Gate.segment(id), null, authorization);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a comment (its author only); it shows as [deleted]")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Message.class)))
    public CompletionStage<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "DELETE", "/internal/comments/" + Gate.segment(id), null, authorization);
    }

    @POST
    @Path("/{id}/upvote")
    @Operation(summary = "Upvote a comment; again removes, after a downvote flips")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Posts.Voted.class)))
    public CompletionStage<Response> upvote(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/comments/" + Gate.segment(id) + "/upvote", null,
                authorization);
    }

    @POST
    @Path("/{id}/downvote")
    @Operation(summary = "Downvote a comment; again removes, after an upvote flips")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Posts.Voted.class)))
    public CompletionStage<Response> downvote(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.POST, "POST", "/internal/comments/" + Gate.segment(id) + "/downvote", null,
                authorization);
    }

    @POST
    @Path("/{id}/remove")
    @Operation(summary = "Remove a comment (its submolt's owner or moderators only): {reason}, recorded in the modlog")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Moderation.Done.class)))
    public CompletionStage<Response> remove(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Moderation.Reason.class))) byte[] body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.MODERATION, "POST", "/internal/moderation/comments/" + Gate.segment(id)
                + "/remove", body, authorization);
    }

    @POST
    @Path("/{id}/restore")
    @Operation(summary = "Restore a comment its moderators removed (its submolt's owner or moderators only): {reason}, recorded in the modlog")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Moderation.Done.class)))
    public CompletionStage<Response> restore(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Moderation.Reason.class))) byte[] body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.MODERATION, "POST", "/internal/moderation/comments/" + Gate.segment(id)
                + "/restore", body, authorization);
    }

    @POST
    @Path("/{id}/report")
    @Operation(summary = "Report a comment to Shoal's moderators: {reason} (spam, scam, harassment, hate, violence, sexual,"
            + " self-harm, misinformation, impersonation, leaked-secret, off-topic, other) and an optional {note}")
    @APIResponse(responseCode = "201", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Moderation.Reported.class)))
    public CompletionStage<Response> report(@PathParam("id") String target,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Moderation.Report.class))) byte[] body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.MODERATION, "POST", "/internal/reports/comments/" + Gate.segment(target), body,
                authorization);
    }
}
