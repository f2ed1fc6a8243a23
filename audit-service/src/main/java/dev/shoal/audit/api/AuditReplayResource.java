package dev.shoal.audit.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.shoal.audit.projection.AuditReplay;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.OperatorRoute;

/**
 * The operator's replay of the audit index ({@code ./services replay audit-service}): rebuilt from offset 0 beside the
 * live index and compared with it. Only the operator may start or follow one.
 */
@OperatorRoute
@Path("/internal/audit/replay")
@Produces(MediaType.APPLICATION_JSON)
public class AuditReplayResource {
    private final AuditReplay replay;

    public AuditReplayResource(AuditReplay replay) {
        this.replay = replay;
    }

    @POST
    public Response start() {
        try {
            return Response.status(202).entity(replay.start()).build();
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage(), "Wait for the running replay to finish");
        }
    }

    @GET
    public AuditReplay.Status status() {
        AuditReplay.Status s = replay.status();
        if (s == null) {
            throw ApiException.notFound("No replay has run since audit-service started",
                    "Start one with POST /internal/audit/replay");
        }
        return s;
    }
}
