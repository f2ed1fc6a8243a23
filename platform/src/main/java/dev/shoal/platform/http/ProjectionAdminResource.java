package dev.shoal.platform.http;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.shoal.platform.messaging.ProjectionLifecycle;
import dev.shoal.platform.projection.ProjectionStatus;
import dev.shoal.platform.projection.RebuildStatus;

/** Operators' view of a service's projections, and the rebuild behind {@code ./services replay}. */
@OperatorRoute
@Path("/internal/projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionAdminResource {
    /** @param readSchema the schema this build's readers query */
    public record Projections(boolean success, String readSchema, List<ProjectionStatus> projections) {
    }

    public record Rebuilds(boolean success, List<RebuildStatus> rebuilds) {
    }

    /** The schemas of replaced versions that were dropped. */
    public record Collected(boolean success, List<String> dropped) {
    }

    private final ProjectionLifecycle projections;

    public ProjectionAdminResource(ProjectionLifecycle projections) {
        this.projections = projections;
    }

    @GET
    public Projections status() {
        return new Projections(true, projections.manager().readSchema(), projections.manager().status());
    }

    /** Drops the schemas kept from versions a switch replaced ({@code ./services gc}). */
    @POST
    @Path("/gc")
    public Collected gc() throws java.sql.SQLException {
        return new Collected(true, projections.manager().gc());
    }

    /**
     * Moves the readers to this build's versions of the named projections (all when none is named) once they have
     * caught up, also back to an older code version: the rollback of a deploy.
     */
    @POST
    @Path("/adopt")
    public Response adopt(@QueryParam("name") List<String> names) {
        try {
            projections.manager().adopt(names);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage(), "Name one of this service's projections");
        }
        return Response.status(202).entity(new Projections(true, projections.manager().readSchema(), projections.manager().status())).build();
    }

    @POST
    @Path("/rebuild")
    public Response rebuild(@QueryParam("name") List<String> names) {
        try {
            List<RebuildStatus> started = projections.manager().rebuild(names);
            return Response.status(202).entity(new Rebuilds(true, started)).build();
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage(), "Wait for the running rebuild to finish");
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage(), "Name one of this service's projections");
        }
    }
}
