package dev.shoal.identity.api;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

import dev.shoal.identity.keys.DataKeyVault;
import dev.shoal.platform.http.OperatorRoute;

/** The operator rotates the key-encryption key ({@code ./services rotate-keys}): no downtime, reads go on. */
@OperatorRoute
@Path("/internal/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyRotationResource {
    private final DataKeyVault vault;

    public KeyRotationResource(DataKeyVault vault) {
        this.vault = vault;
    }

    @POST
    @Path("/rotate")
    public Uni<DataKeyVault.Rotation> rotate() {
        return vault.rotate();
    }
}
