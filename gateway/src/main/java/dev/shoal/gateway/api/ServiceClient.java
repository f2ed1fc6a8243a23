package dev.shoal.gateway.api;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.shoal.gateway.domain.Credential;
import dev.shoal.gateway.domain.OwnWrites;
import dev.shoal.gateway.domain.RateLimiter;
import dev.shoal.contract.ApiError;
import dev.shoal.platform.http.ErrorMappers;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.http.ReadYourWrites;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Calls the service that owns a request: commands go to the owning service, queries to feed-service. The gateway
 * vouches for the agent (and the key it used) with its gateway token; the service's answer (status and body) goes back unchanged.
 * Calls are non-blocking (Vert.x's pooled keep-alive client): no thread waits while a service answers.
 */
@ApplicationScoped
public class ServiceClient {
    private static final Logger LOG = Logger.getLogger(ServiceClient.class);
    private static final long TIMEOUT_MS = 15_000;

    /** The services behind the gateway. */
    public enum Target { IDENTITY, POST, FEED }

    private final HttpClient http;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - 2_000_000_000L);
    private final AtomicLong unloggedFailures = new AtomicLong();
    /** Where each service answers now: configured at start, moved by a deploy ({@link RouteResource}). */
    private final Map<Target, AtomicReference<String>> routes = new EnumMap<>(Target.class);
    private final String token;
    private final OwnWrites ownWrites;

    public ServiceClient(Vertx vertx,
                         GatewayConfig.Services services,
                         @ConfigProperty(name = "shoal.internal-token") String token,
                         @ConfigProperty(name = "shoal.read-your-writes.remember", defaultValue = "PT10S")
                         java.time.Duration rememberWrites) {
        int maxConnections = services.maxConnections();
        int maxQueued = services.maxQueued();
        // Past max-queued calls waiting for a connection, a call is refused at once (503 with Retry-After): under
        // overload the caller learns it in milliseconds instead of timing out, and the services keep their pace.
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000)
                .setMaxPoolSize(maxConnections).setMaxWaitQueueSize(maxQueued));
        routes.put(Target.IDENTITY, new AtomicReference<>(services.identityUrl()));
        routes.put(Target.POST, new AtomicReference<>(services.postUrl()));
        routes.put(Target.FEED, new AtomicReference<>(services.feedUrl()));
        this.token = token;
        this.ownWrites = new OwnWrites(rememberWrites, 1_000_000);
    }

    /** The base URL calls to {@code target} go to now. */
    public String route(Target target) {
        return routes.get(target).get();
    }

    /**
     * Sends every later call to {@code target} to {@code url} (a deploy moving traffic to the new build); calls already
     * sent finish where they went. Answers the URL it replaced.
     */
    public String moveTo(Target target, String url) {
        String before = routes.get(target).getAndSet(url);
        LOG.infof("calls to %s go to %s now (were %s)", target, url, before);
        return before;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * @param pathAndQuery the internal path, e.g. {@code /internal/agents/me}, already encoded
     * @param caller       the authenticated agent and key, or null for anonymous calls
     * @param limits       the caller's rate-limit state, reported in headers
     */
    public CompletionStage<Response> send(Target target, String method, String pathAndQuery, byte[] body,
                                          Credential caller, String requestId, RateLimiter.Decision limits) {
        String base = route(target);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method))
                .setAbsoluteURI(base + pathAndQuery).setIdleTimeout(TIMEOUT_MS)
                .putHeader(InternalCaller.TOKEN_HEADER, token)
                .putHeader(InternalCaller.REQUEST_HEADER, requestId)
                .putHeader("Content-Type", MediaType.APPLICATION_JSON);
        boolean read = "GET".equals(method);
        if (caller != null) {
            options.putHeader(InternalCaller.AGENT_HEADER, caller.agentId().toString());
            options.putHeader(InternalCaller.KEY_HEADER, caller.keyId().toString());
            String own = read ? ownWrites.of(caller.agentId()) : null;
            if (own != null) {
                options.putHeader(ReadYourWrites.AWAIT, own); // the agent wrote this seconds ago: read it back
            }
        }
        CompletableFuture<Response> answer = new CompletableFuture<>();
        http.request(options)
                .compose(req -> body == null || body.length == 0 ? req.send() : req.send(Buffer.buffer(body)))
                .compose(res -> res.body().map(b -> {
                    Response.ResponseBuilder ok = Response.status(res.statusCode())
                            .type(MediaType.APPLICATION_JSON_TYPE).entity(b.getBytes());
                    // A cooldown (429) or a service whose database is away (503) says when to come back.
                    String retryAfter = res.getHeader("Retry-After");
                    if (retryAfter != null) {
                        ok.header("Retry-After", retryAfter);
                    }
                    String written = res.getHeader(ReadYourWrites.WRITTEN);
                    if (caller != null && !read && written != null && res.statusCode() / 100 == 2) {
                        ownWrites.wrote(caller.agentId(), written);
                    }
                    if (res.getHeader(ReadYourWrites.STALE) != null) {
                        ok.header(ReadYourWrites.STALE, "true"); // waited for the agent's write, in vain
                    }
                    return ok;
                }))
                .onComplete(r -> {
                    Response.ResponseBuilder b;
                    if (r.succeeded()) {
                        b = r.result();
                    } else {
                        logUnanswered(target, method, pathAndQuery, r.cause());
                        b = Response.fromResponse(ErrorMappers.response(503, ApiError.of("INTERNAL_ERROR",
                                "The service behind this call is unavailable", "Try again in a few seconds")))
                                .header("Retry-After", 5);
                    }
                    b.header("X-Request-Id", requestId);
                    if (limits != null) {
                        RateLimits.headers(b, limits);
                    }
                    answer.complete(b.build());
                });
        return answer;
    }

    /** One line a second at most: under overload every refused call fails alike, and logging each costs CPU. */
    private void logUnanswered(Target target, String method, String pathAndQuery, Throwable cause) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last < 1_000_000_000L || !lastWarning.compareAndSet(last, now)) {
            unloggedFailures.incrementAndGet();
            return;
        }
        LOG.warnf("%s did not answer %s %s: %s (and %d more since the last line)", target, method, pathAndQuery,
                cause.toString(), unloggedFailures.getAndSet(0));
    }

    /** {@link #send}, waiting for the answer: for the few calls that must look at it before answering. */
    public Response call(Target target, String method, String pathAndQuery, byte[] body, Credential caller,
                         String requestId, RateLimiter.Decision limits) {
        try {
            return send(target, method, pathAndQuery, body, caller, requestId, limits).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
