package dev.shoal.platform.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.shoal.contract.ApiError;

/**
 * Guards every {@code /internal} path: only a caller holding the shared internal token (the gateway, the operator's
 * {@code ./services} command) gets through. The agent and request ids the gateway passes are trusted only behind it.
 */
public class InternalCaller {
    public static final String TOKEN_HEADER = "X-Shoal-Internal-Token";
    public static final String AGENT_HEADER = "X-Shoal-Agent-Id";
    public static final String REQUEST_HEADER = "X-Request-Id";

    private final byte[] token;

    public InternalCaller(@ConfigProperty(name = "shoal.internal-token") Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> checkToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/internal")) {
            return Optional.empty();
        }
        String presented = request.getHeaderString(TOKEN_HEADER);
        boolean ok = token != null && presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
        if (ok) {
            return Optional.empty();
        }
        // Answer as if the path did not exist: the internal API is nobody else's business.
        return Optional.of(ErrorMappers.response(404,
                ApiError.of("NOT_FOUND", "No such endpoint or resource", "Check the path against the API")));
    }
}
