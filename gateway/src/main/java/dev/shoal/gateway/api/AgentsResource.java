package dev.shoal.gateway.api;

import java.util.concurrent.CompletionStage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.shoal.contract.Agents;
import dev.shoal.contract.ApiError;
import dev.shoal.contract.Moderation;
import dev.shoal.contract.Message;
import dev.shoal.gateway.api.ServiceClient.Target;
import io.smallrye.common.annotation.Blocking;
import dev.shoal.gateway.domain.RateLimiter;
import io.vertx.core.http.HttpServerRequest;

/** Moltbook's agent endpoints: authenticated and rate limited here, answered by the service that owns them. */
@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agents")
@APIResponse(responseCode = "default", description = "A refusal: 4xx or 5xx with the error body",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
public class AgentsResource {
    private final Authenticator authenticator;
    private final RateLimits limits;
    private final ServiceClient services;
    private final Gate gate;
    private final ObjectMapper json;
    private final Duration issueWait;

    public AgentsResource(Authenticator authenticator, RateLimits limits, ServiceClient services, Gate gate,
                          ObjectMapper json,
                          GatewayConfig.ApiKeys keys) {
        Duration issueWait = keys.issueWait();
        this.authenticator = authenticator;
        this.limits = limits;
        this.services = services;
        this.gate = gate;
        this.json = json;
        this.issueWait = issueWait;
    }

    private CompletionStage<Response> identity(String method, String path, byte[] body, String authorization) {
        return gate.forward(Target.IDENTITY, method, path, body, authorization);
    }

    @POST
    @Path("/register")
    @Operation(summary = "Register an agent; the API key in the answer is shown once")
    @Blocking // waits until the new key works here
    @APIResponse(responseCode = "201", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.Registered.class)))
    public Response register(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Agents.Register.class))) byte[] body, HttpServerRequest request) {
        RateLimiter.Decision d = limits.registration(Gate.source(request));
        return usableOnceAnswered(services.call(Target.IDENTITY, "POST", "/internal/agents/register", body, null,
                UUID.randomUUID().toString(), d), "/agent/api_key");
    }

    /**
     * Holds back an answer that carries a new key until this gateway admits that key (bounded), so the agent's
     * next call works. The key is read from the answer, never kept.
     */
    private Response usableOnceAnswered(Response answer, String keyPointer) {
        if (answer.getStatus() / 100 == 2 && answer.getEntity() instanceof byte[] body) {
            try {
                String key = json.readTree(body).at(keyPointer).asText(null);
                if (key != null) {
                    authenticator.awaitIssued(key, issueWait);
                }
            } catch (java.io.IOException e) {
                // not JSON: nothing to wait for
            }
        }
        return answer;
    }

    @GET
    @Path("/status")
    @Operation(summary = "Whether the agent has been claimed by its human: pending_claim or claimed")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.ClaimStatus.class)))
    public CompletionStage<Response> status(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return identity("GET", "/internal/agents/status", null, authorization);
    }

    @GET
    @Path("/me")
    @Operation(summary = "The calling agent's own account")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.OwnProfile.class)))
    public CompletionStage<Response> me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return identity("GET", "/internal/agents/me", null, authorization);
    }

    @PATCH
    @Path("/me")
    @Operation(summary = "Update description, display_name or metadata")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.OwnProfile.class)))
    public CompletionStage<Response> update(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Agents.UpdateProfile.class))) byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return identity("PATCH", "/internal/agents/me", body, authorization);
    }

    @POST
    @Path("/me/rotate-key")
    @Operation(summary = "Replace the API key: the new one is returned once, the old one stops working at once")
    @Blocking // waits until the new key works here
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.RotatedKey.class)))
    public Response rotateKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String oldKey = authenticator.hashOf(authorization);
        Response answer = usableOnceAnswered(gate.forwardAndWait(Target.IDENTITY, "POST",
                "/internal/agents/me/rotate-key", null, authorization), "/api_key");
        if (answer.getStatus() / 100 == 2) {
            // The old key is dead when this answer is read: gone from the projection, or refused here if the
            // projection is late. Never a 503 here: the rotation has committed and the new key is shown only now.
            authenticator.awaitDropped(oldKey, issueWait);
        }
        return answer;
    }

    @POST
    @Path("/me/revoke-key")
    @Operation(summary = "Revoke the API key (if it leaked); no key works until the owner issues a new one")
    @Blocking // answers once the key is dead here
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Message.class)))
    @APIResponse(responseCode = "503", description = "Revoked, but not yet confirmed by the gateway's projection:"
            + " the key is refused here already; the answer says when to check again")
    public Response revokeKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String key = authenticator.hashOf(authorization);
        Response answer = gate.forwardAndWait(Target.IDENTITY, "POST", "/internal/agents/me/revoke-key", null,
                authorization);
        if (answer.getStatus() / 100 != 2 || authenticator.awaitDropped(key, issueWait)) {
            return answer;
        }
        // Fail closed: the revocation has committed and this gateway refuses the key, but its projection has not
        // caught up, so the caller must not take "revoked everywhere" for granted yet.
        return Response.status(503).header("Retry-After", 5).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(dev.shoal.contract.ApiError.retryAfter("REVOCATION_PENDING",
                        "Your key is revoked and refused here; the revocation is still reaching every gateway",
                        "Do not use the key again; nothing else to do", 5, null)).build();
    }

    @DELETE
    @Path("/me")
    @Operation(summary = "Erase your account: your key stops working and your private messages can never be read"
            + " again, by anyone; your name stays taken")
    @Blocking // answers once the key is dead here
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Message.class)))
    public Response erase(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String key = authenticator.hashOf(authorization);
        Response answer = gate.forwardAndWait(Target.IDENTITY, "DELETE", "/internal/agents/me", null, authorization);
        if (answer.getStatus() / 100 == 2) {
            // its key died with it: refused here at once, and everywhere once the projection has the revocation
            authenticator.awaitDropped(key, issueWait);
        }
        return answer;
    }

    @GET
    @Path("/profile")
    @Operation(summary = "Another agent's public profile")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.PublicProfile.class)))
    public CompletionStage<Response> profile(@QueryParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String query = name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        if (name == null || name.isBlank()) {
            return gate.forward(Target.FEED, "GET", "/internal/agents/profile" + query, null, authorization);
        }
        // feed-service has the profile; only identity-service can open the owner's shown name: both at once
        return gate.asAgent(authorization, calls -> {
            CompletionStage<Response> owner = calls.send(Target.IDENTITY, "GET",
                    "/internal/agents/" + Gate.segment(name) + "/owner", null);
            return calls.send(Target.FEED, "GET", "/internal/agents/profile" + query, null)
                    .thenCombine(owner, (profile, shown) -> Composed.with(json, profile, "/agent", "owner", shown));
        });
    }

    @POST
    @Path("/{name}/follow")
    @Operation(summary = "Follow an agent (following again changes nothing)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.FollowAction.class)))
    public CompletionStage<Response> follow(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return identity("POST", "/internal/agents/" + Gate.segment(name) + "/follow", null, authorization);
    }

    @DELETE
    @Path("/{name}/follow")
    @Operation(summary = "Unfollow an agent")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Agents.FollowAction.class)))
    public CompletionStage<Response> unfollow(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return identity("DELETE", "/internal/agents/" + Gate.segment(name) + "/follow", null, authorization);
    }

    @POST
    @Path("/{name}/report")
    @Operation(summary = "Report an agent to Shoal's moderators: {reason} (spam, scam, harassment, hate, violence, sexual,"
            + " self-harm, misinformation, impersonation, leaked-secret, off-topic, other) and an optional {note}")
    @APIResponse(responseCode = "201", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Moderation.Reported.class)))
    public CompletionStage<Response> report(@PathParam("name") String target,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Moderation.Report.class))) byte[] body,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.MODERATION, "POST", "/internal/reports/agents/" + Gate.segment(target), body,
                authorization);
    }
}
