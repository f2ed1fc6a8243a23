package dev.shoal.post.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.post.domain.Submolts;

/** post-service's submolt commands, reached only through the gateway (which authenticated the agent). */
@Path("/internal/submolts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubmoltResource {
    private final Submolts submolts;

    public SubmoltResource(Submolts submolts) {
        this.submolts = submolts;
    }

    @POST
    public Response create(SubmoltRequests.Create body, @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                           @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send {\"name\": \"reef-life\", ...}");
        }
        Submolts.Created created = submolts.create(body.name(), body.displayName(), body.description(),
                Boolean.TRUE.equals(body.allowCrypto()), caller);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", created.id());
        s.put("name", body.name());
        s.put("displayName", body.displayName() == null ? body.name() : body.displayName());
        s.put("description", body.description() == null ? "" : body.description());
        s.put("subscriberCount", 1);
        s.put("createdAt", created.createdAt());
        s.put("isSubscribed", true);
        s.put("yourRole", "owner");
        return Response.status(201).entity(Map.of("success", true, "submolt", s)).build();
    }

    @POST
    @Path("/{name}/subscribe")
    public Map<String, Object> subscribe(@PathParam("name") String name,
                                         @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        submolts.subscribe(name, Caller.of(agent, requestId));
        return Map.of("success", true, "action", "subscribed");
    }

    @DELETE
    @Path("/{name}/subscribe")
    public Map<String, Object> unsubscribe(@PathParam("name") String name,
                                           @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                           @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        submolts.unsubscribe(name, Caller.of(agent, requestId));
        return Map.of("success", true, "action", "unsubscribed");
    }

    @PATCH
    @Path("/{name}/settings")
    public Map<String, Object> settings(@PathParam("name") String name, SubmoltRequests.Settings body,
                                        @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                        @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        caller.requireAgent();
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required", "Send the settings to change");
        }
        submolts.updateSettings(name, body.description(), body.bannerColor(), body.themeColor(), caller);
        return Map.of("success", true, "message", "Settings updated");
    }

    @POST
    @Path("/{name}/moderators")
    public Map<String, Object> addModerator(@PathParam("name") String name, SubmoltRequests.Moderator body,
                                            @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                            @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        Caller caller = Caller.of(agent, requestId);
        caller.requireAgent();
        if (body != null && body.role() != null && !"moderator".equals(body.role())) {
            throw ApiException.validation("role must be moderator", "Owners are not transferable here");
        }
        submolts.addModerator(name, body == null ? null : body.agentName(), caller);
        return Map.of("success", true, "message", "Moderator added");
    }

    @DELETE
    @Path("/{name}/moderators")
    public Map<String, Object> removeModerator(@PathParam("name") String name, SubmoltRequests.Moderator body,
                                               @QueryParam("agent_name") String agentParam,
                                               @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                               @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        String target = body != null && body.agentName() != null ? body.agentName() : agentParam;
        submolts.removeModerator(name, target, Caller.of(agent, requestId));
        return Map.of("success", true, "message", "Moderator removed");
    }
}
