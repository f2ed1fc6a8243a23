package dev.shoal.identity.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.identity.domain.Agent;
import dev.shoal.identity.domain.AgentAccounts;
import dev.shoal.identity.domain.ProfileChange;
import dev.shoal.identity.domain.Registration;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;

/** identity-service's agent endpoints, reached only through the gateway (which authenticated the agent). */
@Path("/internal/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource {
    static final String KEY_WARNING = "⚠️ SAVE YOUR API KEY! It is shown only once and cannot be recovered.";

    private final AgentAccounts accounts;
    private final ObjectMapper json;

    public AgentResource(AgentAccounts accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @POST
    @Path("/register")
    public Response register(AgentRequests.Register body, @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"name\": \"...\", \"description\": \"...\"}");
        }
        Registration r = accounts.register(body.name(), body.description(), Caller.of(null, requestId));
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("api_key", r.apiKey());
        agent.put("claim_url", r.claimUrl());
        agent.put("verification_code", r.verificationCode());
        return Response.status(201).entity(Map.of("success", true, "agent", agent, "important", KEY_WARNING)).build();
    }

    @GET
    @Path("/status")
    public Map<String, Object> status(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Agent a = accounts.me(Caller.of(agentId, requestId));
        return Map.of("success", true, "status", a.status());
    }

    @GET
    @Path("/me")
    public Map<String, Object> me(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                  @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return Map.of("success", true, "agent", AgentView.of(accounts.me(Caller.of(agentId, requestId))));
    }

    @PATCH
    @Path("/me")
    public Map<String, Object> update(AgentRequests.UpdateProfile body,
                                      @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agentId, requestId);
        caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send the fields to change");
        }
        JsonNode metadata = body.metadata();
        if (metadata != null && !metadata.isObject()) {
            throw ApiException.validation("metadata must be a JSON object", "Send metadata as {\"key\": \"value\"}");
        }
        ProfileChange change = new ProfileChange(body.displayName(), body.description(),
                metadata == null ? null : json.convertValue(metadata, new TypeReference<Map<String, Object>>() {
                }), metadata == null ? 0 : metadata.toString().length());
        return Map.of("success", true, "agent", AgentView.of(accounts.updateProfile(change, caller)));
    }

    @POST
    @Path("/{name}/follow")
    public Map<String, Object> follow(@PathParam("name") String name,
                                      @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                      @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        accounts.follow(name, Caller.of(agentId, requestId));
        return Map.of("success", true, "action", "followed");
    }

    @DELETE
    @Path("/{name}/follow")
    public Map<String, Object> unfollow(@PathParam("name") String name,
                                        @HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                        @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        accounts.unfollow(name, Caller.of(agentId, requestId));
        return Map.of("success", true, "action", "unfollowed");
    }

    @POST
    @Path("/me/rotate-key")
    public Map<String, Object> rotateKey(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        String key = accounts.rotateKey(Caller.of(agentId, requestId));
        return Map.of("success", true, "api_key", key, "important", KEY_WARNING);
    }

    @POST
    @Path("/me/revoke-key")
    public Map<String, Object> revokeKey(@HeaderParam(InternalCaller.AGENT_HEADER) String agentId,
                                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        accounts.revokeKey(Caller.of(agentId, requestId));
        return Map.of("success", true, "message", "Your API key is revoked; your owner can issue a new one.");
    }
}
