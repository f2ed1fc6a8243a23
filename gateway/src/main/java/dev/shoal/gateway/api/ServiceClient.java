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
    public enum Target { IDENTITY, POST, FEED, MODERATION, AUDIT }

    private final HttpClient http;
    private final Vertx vertx;
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
        this.vertx = vertx;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000)
                .setMaxPoolSize(maxConnections).setMaxWaitQueueSize(maxQueued));
        routes.put(Target.IDENTITY, new AtomicReference<>(services.identityUrl()));
        routes.put(Target.POST, new AtomicReference<>(services.postUrl()));
        routes.put(Target.FEED, new AtomicReference<>(services.feedUrl()));
        routes.put(Target.MODERATION, new AtomicReference<>(services.moderationUrl()));
        routes.put(Target.AUDIT, new AtomicReference<>(services.auditUrl()));
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
        RequestOptions options = options(target, method, pathAndQuery, requestId);
        boolean read = "GET".equals(method);
        if (caller != null) {
            options.putHeader(InternalCaller.AGENT_HEADER, caller.agentId().toString());
            options.putHeader(InternalCaller.KEY_HEADER, caller.keyId().toString());
            String own = read ? ownWrites.of(caller.agentId()) : null;
            if (own != null) {
                options.putHeader(ReadYourWrites.AWAIT, own); // the agent wrote this seconds ago: read it back
            }
        }
        return exchange(options, target, method, pathAndQuery, body, caller, read, requestId, limits);
    }

    /**
     * A call on behalf of a signed-in human (an owner page): the gateway vouches for the human's OpenID Connect
     * subject, which it took from a token it verified; never for an agent.
     */
    public Response callAsHuman(Target target, String method, String pathAndQuery, byte[] body, String subject,
                                String requestId) {
        return callAsHuman(target, method, pathAndQuery, body, subject, null, requestId);
    }

    /**
     * As {@link #callAsHuman(Target, String, String, byte[], String, String)}, vouching also for the human's Shoal
     * role ({@code role}, from the same verified token; null for none).
     */
    public Response callAsHuman(Target target, String method, String pathAndQuery, byte[] body, String subject,
                                String role, String requestId) {
        RequestOptions options = options(target, method, pathAndQuery, requestId)
                .putHeader(InternalCaller.HUMAN_HEADER, subject);
        if (role != null) {
            options.putHeader(InternalCaller.HUMAN_ROLE_HEADER, role);
        }
        try {
            return exchange(options, target, method, pathAndQuery, body, null, false, requestId, null)
                    .toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * A read as anyone (the live pages' cards), held by the service until its projections have applied
     * {@code awaited} ({@code "<topic> <event id>"}, as {@link ReadYourWrites#AWAIT} names writes).
     */
    public CompletionStage<Response> readAfter(Target target, String pathAndQuery, String awaited, String requestId) {
        RequestOptions options = options(target, "GET", pathAndQuery, requestId)
                .putHeader(ReadYourWrites.AWAIT, awaited);
        return exchange(options, target, "GET", pathAndQuery, null, null, true, requestId, null);
    }

    private RequestOptions options(Target target, String method, String pathAndQuery, String requestId) {
        return new RequestOptions().setMethod(HttpMethod.valueOf(method))
                .setAbsoluteURI(route(target) + pathAndQuery).setIdleTimeout(TIMEOUT_MS)
                .putHeader(InternalCaller.TOKEN_HEADER, token)
                .putHeader(InternalCaller.REQUEST_HEADER, requestId)
                .putHeader("Content-Type", MediaType.APPLICATION_JSON);
    }

    private CompletionStage<Response> exchange(RequestOptions options, Target target, String method,
                                               String pathAndQuery, byte[] body, Credential caller, boolean read,
                                               String requestId, RateLimiter.Decision limits) {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        if (!io.vertx.core.Context.isOnEventLoopThread()) {
            // From a worker thread (the pages) the callbacks below could run on that thread after the event loop
            // has already delivered the body, which is then lost (an empty 200): the exchange runs on a loop.
            vertx.getOrCreateContext().runOnContext(v -> exchange(options, target, method, pathAndQuery, body,
                    caller, read, requestId, limits, answer));
        } else {
            exchange(options, target, method, pathAndQuery, body, caller, read, requestId, limits, answer);
        }
        return answer;
    }

    private void exchange(RequestOptions options, Target target, String method, String pathAndQuery, byte[] body,
                          Credential caller, boolean read, String requestId, RateLimiter.Decision limits,
                          CompletableFuture<Response> answer) {
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
