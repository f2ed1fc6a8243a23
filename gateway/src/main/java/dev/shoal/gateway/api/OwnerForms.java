package dev.shoal.gateway.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.shoal.platform.security.ApiKeyHasher;

/**
 * CSRF tokens for the owner pages' forms: a synchronizer token bound to the human's session (an HMAC of their
 * subject and Keycloak's session id, under a key derived from the gateway's secret), so any replica can check it and
 * nothing is stored. The session cookie is {@code SameSite=Lax} as well: a cross-site form post carries neither.
 *
 * <p>Not Quarkus' CSRF extension: its filter runs on every request of the application and refuses any form-encoded
 * POST that lacks its cookie, and agents' bodiless Moltbook calls are sent form-encoded by common clients
 * ({@code curl -d ''}); the agent API must not depend on a browser's cookie.
 */
@ApplicationScoped
public class OwnerForms {
    private final ApiKeyHasher hmac;

    public OwnerForms(GatewayConfig.ApiKeys keys) {
        // A key of its own, derived from the gateway's secret: a form token is never an API key's hash.
        this.hmac = new ApiKeyHasher(new ApiKeyHasher(keys.hmacSecret()).hash("shoal owner-page forms v1"));
    }

    /** The token the session's forms carry. */
    public String token(JsonWebToken idToken) {
        String sid = idToken.getClaim("sid");
        return hmac.hash(idToken.getSubject() + "\n" + (sid == null ? "" : sid));
    }

    /** Whether a form's token is this session's (compared in constant time). */
    public boolean valid(JsonWebToken idToken, String presented) {
        return presented != null && MessageDigest.isEqual(token(idToken).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }
}
