package dev.shoal.gateway.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.shoal.gateway.domain.RateLimiter;
import dev.shoal.platform.http.ApiError;
import dev.shoal.platform.http.ErrorMappers;
import dev.shoal.platform.http.InternalCaller;

/**
 * Calls the service that owns a request: commands go to the owning service, queries to feed-service. The gateway
 * vouches for the agent with the internal token; the service's answer (status and body) goes back unchanged.
 */
@ApplicationScoped
public class ServiceClient {
    private static final Logger LOG = Logger.getLogger(ServiceClient.class);

    /** The services behind the gateway. */
    public enum Target { IDENTITY, POST, FEED }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String identityUrl;
    private final String postUrl;
    private final String feedUrl;
    private final String token;

    public ServiceClient(@ConfigProperty(name = "shoal.services.identity-url") String identityUrl,
                         @ConfigProperty(name = "shoal.services.post-url") String postUrl,
                         @ConfigProperty(name = "shoal.services.feed-url") String feedUrl,
                         @ConfigProperty(name = "shoal.internal-token") String token) {
        this.identityUrl = identityUrl;
        this.postUrl = postUrl;
        this.feedUrl = feedUrl;
        this.token = token;
    }

    /**
     * @param pathAndQuery the internal path, e.g. {@code /internal/agents/me}, already encoded
     * @param agentId      the authenticated agent, or null for anonymous calls
     * @param limits       the caller's rate-limit state, reported in headers
     */
    public Response call(Target target, String method, String pathAndQuery, byte[] body, UUID agentId,
                         String requestId, RateLimiter.Decision limits) {
        String base = switch (target) {
            case IDENTITY -> identityUrl;
            case POST -> postUrl;
            case FEED -> feedUrl;
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(15))
                .header(InternalCaller.TOKEN_HEADER, token)
                .header(InternalCaller.REQUEST_HEADER, requestId)
                .header("Content-Type", MediaType.APPLICATION_JSON)
                .method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (agentId != null) {
            b.header(InternalCaller.AGENT_HEADER, agentId.toString());
        }
        Response.ResponseBuilder answer;
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer = Response.status(r.statusCode()).type(MediaType.APPLICATION_JSON_TYPE).entity(r.body());
        } catch (IOException e) {
            LOG.warnf("%s did not answer %s %s: %s", target, method, pathAndQuery, e.toString());
            answer = Response.fromResponse(ErrorMappers.response(503, ApiError.of("INTERNAL_ERROR",
                    "The service behind this call is unavailable", "Try again in a few seconds")))
                    .header("Retry-After", 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = Response.fromResponse(ErrorMappers.response(503, ApiError.of("INTERNAL_ERROR",
                    "The request was interrupted", "Try again")));
        }
        answer.header("X-Request-Id", requestId);
        if (limits != null) {
            RateLimits.headers(answer, limits);
        }
        return answer.build();
    }
}
