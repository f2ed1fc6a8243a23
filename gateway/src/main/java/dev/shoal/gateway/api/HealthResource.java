package dev.shoal.gateway.api;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.platform.messaging.ProjectionLifecycle;

/** Moltbook's {@code GET /health}: whether the gateway can authenticate agents (its credentials are loaded). */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final ProjectionLifecycle projections;

    public HealthResource(ProjectionLifecycle projections) {
        this.projections = projections;
    }

    @GET
    public jakarta.ws.rs.core.Response health() {
        boolean ready = projections.manager().started();
        return jakarta.ws.rs.core.Response.status(ready ? 200 : 503)
                .entity(Map.of("success", ready, "status", ready ? "healthy" : "starting")).build();
    }
}
