package dev.shoal.platform.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.shoal.contract.ApiError;

/**
 * Guards every internal resource (a {@code @Path} under {@code /internal}) with the caller's own credential. Two
 * callers exist: the gateway, the only one that may call the routes acting for agents (so the agent and request ids
 * it passes are trusted), and the operator's {@code ./services}, the only one that may call {@link OperatorRoute}s.
 * Each presents its own token; a service keeps only each caller's SHA-256, so a compromised service holds nothing that
 * lets it call its peers as the gateway or as the operator. Checked once the route is matched, on the resource class
 * itself, so no spelling of a path reaches a route under the wrong credential.
 */
public class InternalCaller {
    public static final String TOKEN_HEADER = "X-Shoal-Internal-Token";
    public static final String AGENT_HEADER = "X-Shoal-Agent-Id";
    /** Which of the agent's keys the gateway authenticated it with. */
    public static final String KEY_HEADER = "X-Shoal-Key-Id";
    /** The signed-in human's OpenID Connect subject, on the owner routes (never with an agent id). */
    public static final String HUMAN_HEADER = "X-Shoal-Human";
    /**
     * The signed-in human's Shoal role where a service needs it (the moderators' queue): set by the gateway from the
     * token it verified, like {@link #HUMAN_HEADER}; never taken from a client.
     */
    public static final String HUMAN_ROLE_HEADER = "X-Shoal-Human-Role";
    public static final String REQUEST_HEADER = "X-Request-Id";

    private final byte[] gateway;
    /** The request property that says which caller's token a matched internal route was called with. */
    public static final String CALLER_PROPERTY = "shoal.internal.caller";
    public static final String GATEWAY = "gateway";
    public static final String OPERATOR = "operator";

    private final byte[] operator;

    /** @param gatewayHash the hex SHA-256 of the gateway's token; {@code operatorHash} the operator's */
    public InternalCaller(@ConfigProperty(name = "shoal.internal.callers.gateway") Optional<String> gatewayHash,
                          @ConfigProperty(name = "shoal.internal.callers.operator") Optional<String> operatorHash) {
        this.gateway = gatewayHash.filter(h -> !h.isBlank()).map(h -> HexFormat.of().parseHex(h.trim())).orElse(null);
        this.operator = operatorHash.filter(h -> !h.isBlank()).map(h -> HexFormat.of().parseHex(h.trim()))
                .orElse(null);
    }

    /** The hex SHA-256 of a token, as a callee is configured with it. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Before anything else looks at the request: without one of the callers' tokens, every {@code /internal} path is
     * a 404, whether it exists or not (a 405 or 415 would tell what does).
     */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> checkSomeCaller(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal")) {
            return Optional.empty();
        }
        String presented = request.getHeaderString(TOKEN_HEADER);
        if (presented != null) {
            byte[] h = HexFormat.of().parseHex(hash(presented));
            if ((gateway != null && MessageDigest.isEqual(gateway, h))
                    || (operator != null && MessageDigest.isEqual(operator, h))) {
                return Optional.empty();
            }
        }
        return notFound();
    }

    /** Once the route is known: the caller that route is for. */
    @ServerRequestFilter
    public Optional<Response> checkCaller(ContainerRequestContext request, SimpleResourceInfo resource) {
        Path path = resource.getResourceClass().getAnnotation(Path.class);
        boolean internal = request.getUriInfo().getPath().startsWith("/internal")
                || (path != null && path.value().replaceFirst("^/*", "/").startsWith("/internal"));
        if (!internal) {
            return Optional.empty();
        }
        Class<?> route = resource.getResourceClass();
        List<byte[]> expected = route.isAnnotationPresent(EvidenceRoute.class) ? java.util.Arrays.asList(gateway, operator)
                : route.isAnnotationPresent(OperatorRoute.class) ? java.util.Collections.singletonList(operator)
                : java.util.Collections.singletonList(gateway);
        String presented = request.getHeaderString(TOKEN_HEADER);
        if (presented != null) {
            byte[] h = HexFormat.of().parseHex(hash(presented));
            for (byte[] e : expected) {
                if (e != null && MessageDigest.isEqual(e, h)) {
                    request.setProperty(CALLER_PROPERTY, e == operator ? OPERATOR : GATEWAY);
                    return Optional.empty();
                }
            }
        }
        return notFound();
    }

    /** Answers as if the path did not exist: the internal API is nobody else's business. */
    private static Optional<Response> notFound() {
        return Optional.of(ErrorMappers.response(404,
                ApiError.of("NOT_FOUND", "No such endpoint or resource", "Check the path against the API")));
    }
}
