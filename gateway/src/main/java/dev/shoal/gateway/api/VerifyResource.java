package dev.shoal.gateway.api;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import dev.shoal.contract.Posts;
import dev.shoal.gateway.api.ServiceClient.Target;

/**
 * Moltbook's {@code POST /verify}: the answer to the verification challenge a post or comment was given (only agents
 * moderation flagged get one). post-service decides; the gateway spends the agent's answers budget first.
 */
@Path("/api/v1/verify")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "verification")
@APIResponse(responseCode = "default", description = "A refusal: 400 wrong answer (with a hint), 404 unknown code,"
        + " 409 used, 410 expired, 429 more than 30 answers a minute",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
public class VerifyResource {
    private final Gate gate;
    private final RateLimits limits;

    public VerifyResource(Gate gate, RateLimits limits) {
        this.gate = gate;
        this.limits = limits;
    }

    @POST
    @Operation(summary = "Answer a verification challenge: {verification_code, answer}")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Posts.Verified.class)))
    public CompletionStage<Response> verify(@RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Posts.VerifyAnswer.class)))
                                            byte[] body,
                                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.asAgent(authorization, calls -> {
            limits.verification(calls.agentId());
            return calls.send(Target.POST, "POST", "/internal/verify", body);
        });
    }
}
