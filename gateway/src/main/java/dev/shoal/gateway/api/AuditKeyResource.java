package dev.shoal.gateway.api;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.shoal.gateway.api.ServiceClient.Target;

/**
 * The public key that signs the log's checkpoints, at a well-known path, for anyone to verify the log, a checkpoint
 * or an auditor's export with ({@code ./services audit verify}). No sign-in: a public key is meant to be public.
 */
@Path("/.well-known/shoal-audit-key")
public class AuditKeyResource {
    private final ServiceClient services;

    public AuditKeyResource(ServiceClient services) {
        this.services = services;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The Ed25519 public key (PEM) that signs Shoal's audit checkpoints")
    public Response key() {
        Response r = services.call(Target.AUDIT, "GET", "/internal/audit/key", null, null,
                UUID.randomUUID().toString(), null);
        return Response.status(r.getStatus()).entity(r.getEntity())
                .type(r.getStatus() == 200 ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_JSON)
                .header("Cache-Control", "public, max-age=300").build();
    }
}
