package dev.shoal.platform.write;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.platform.http.OperatorRoute;

/** Operators' view of a restore of the service's own tables ({@code ./services restore} follows it). */
@OperatorRoute
@Path("/internal/restore")
@Produces(MediaType.APPLICATION_JSON)
public class OwnTablesResource {
    private final OwnTablesRestore restore;

    public OwnTablesResource(OwnTablesRestore restore) {
        this.restore = restore;
    }

    @GET
    public RestoreStatus status() {
        return restore.status();
    }
}
