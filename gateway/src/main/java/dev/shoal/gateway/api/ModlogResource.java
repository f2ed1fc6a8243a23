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
import dev.shoal.contract.Moderation;
import dev.shoal.gateway.api.ServiceClient.Target;

/** The modlog, answered by moderation-service: every moderation decision, so that moderation can be audited. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "moderation")
@APIResponse(responseCode = "default", description = "A refusal: 4xx or 5xx with the error body",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
public class ModlogResource {
    private final Gate gate;

    public ModlogResource(Gate gate) {
        this.gate = gate;
    }

    @GET
    @Path("/modlog")
    @Operation(summary = "Every moderation decision, newest first: what, where, which rule or moderator role, why;"
            + " limit (at most 100), cursor or offset")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Moderation.Modlog.class)))
    public CompletionStage<Response> modlog(@Context UriInfo uri,
                                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.MODERATION, "GET", "/internal/modlog"
                + Gate.query(uri.getRequestUri().getRawQuery()), null, authorization);
    }
}
