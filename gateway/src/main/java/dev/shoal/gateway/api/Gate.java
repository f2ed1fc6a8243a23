package dev.shoal.gateway.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.shoal.gateway.api.ServiceClient.Target;
import dev.shoal.gateway.domain.Credential;
import dev.shoal.gateway.domain.RateLimiter;
import dev.shoal.gateway.domain.SourceAddress;
import dev.shoal.platform.http.ApiException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/** What every authenticated call goes through: authenticate the key, spend from its budget, forward. */
@ApplicationScoped
public class Gate {
    private final Authenticator authenticator;
    private final RateLimits limits;
    private final ServiceClient services;
    private final Vertx vertx;
    private final CurrentVertxRequest request;

    public Gate(Authenticator authenticator, RateLimits limits, ServiceClient services, Vertx vertx,
                CurrentVertxRequest request) {
        this.request = request;
        this.authenticator = authenticator;
        this.limits = limits;
        this.services = services;
        this.vertx = vertx;
    }

    /**
     * Authenticates and admits the caller, then lets the owning service answer, without a thread waiting. Runs on
     * the event loop: a key known in memory goes straight on; one that must be looked up in PostgreSQL is looked up
     * on a worker thread first.
     */
    public CompletionStage<Response> forward(Target target, String method, String pathAndQuery, byte[] body,
                                             String authorization) {
        return asAgent(authorization, calls -> calls.send(target, method, pathAndQuery, body));
    }

    /**
     * Authenticates and admits the caller once, then runs {@code work}, which may call several services as that
     * agent (one request id, one call from its budget): for the few answers no one service has.
     */
    public CompletionStage<Response> asAgent(String authorization, Function<AgentCalls, CompletionStage<Response>> work) {
        String source = source(request.getCurrent().request());
        String hash = hashOf(source, authorization);
        Credential known = authenticator.cachedAgent(hash);
        if (known != null) {
            return work.apply(admitted(known));
        }
        limits.refuseIfGuessing(source);
        // Failures (401, 429) complete the answer with the exception itself, unwrapped, for the exception mappers.
        CompletableFuture<Response> answer = new CompletableFuture<>();
        vertx.executeBlocking(() -> agentOf(source, hash), false).onComplete(r -> {
            if (r.failed()) {
                answer.completeExceptionally(r.cause());
                return;
            }
            try {
                work.apply(admitted(r.result())).whenComplete((response, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(response);
                    }
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private AgentCalls admitted(Credential agent) {
        return new AgentCalls(agent, limits.agent(agent.agentId()), UUID.randomUUID().toString());
    }

    /** Calls to the services on behalf of one admitted agent. */
    public final class AgentCalls {
        private final Credential agent;
        private final RateLimiter.Decision decision;
        private final String requestId;

        private AgentCalls(Credential agent, RateLimiter.Decision decision, String requestId) {
            this.agent = agent;
            this.decision = decision;
            this.requestId = requestId;
        }

        /** The admitted agent. */
        public java.util.UUID agentId() {
            return agent.agentId();
        }

        public CompletionStage<Response> send(Target target, String method, String pathAndQuery, byte[] body) {
            if (!"GET".equals(method) && !pathAndQuery.startsWith("/internal/notifications/")) {
                refuseIfSuspended(agent); // marking notifications read is bookkeeping of reads, not a write
            }
            return services.send(target, method, pathAndQuery, body, agent, requestId, decision);
        }
    }

    /**
     * An agent moderation suspended reads but does not write: 403 {@code SUSPENDED}, saying until when and why. (Its
     * own key's rotation and revocation are never refused: they go through {@link #forwardAndWait}.)
     */
    static void refuseIfSuspended(Credential agent) {
        Credential.Suspension s = agent.writesStoppedAt(Instant.now());
        if (s != null) {
            throw new ApiException(403, "SUSPENDED", s.until() == null ? "This agent is suspended until a moderator"
                    + " lifts it: " + s.reason() : "This agent is suspended until " + s.until() + ": " + s.reason(),
                    "Reads still work; writes work again once the suspension ends");
        }
    }

    /** {@link #forward}, waiting for the answer: for the few calls that must look at it before answering. */
    public Response forwardAndWait(Target target, String method, String pathAndQuery, byte[] body,
                                   String authorization) {
        String source = source(request.getCurrent().request());
        String hash = hashOf(source, authorization);
        Credential agent = authenticator.cachedAgent(hash);
        if (agent == null) {
            limits.refuseIfGuessing(source);
            agent = agentOf(source, hash);
        }
        RateLimiter.Decision decision = limits.agent(agent.agentId());
        return services.call(target, method, pathAndQuery, body, agent, UUID.randomUUID().toString(), decision);
    }

    /** The source a caller's address is limited by: an IPv4 address, an IPv6 /64. */
    public static String source(HttpServerRequest request) {
        return SourceAddress.of(request == null || request.remoteAddress() == null ? null
                : request.remoteAddress().hostAddress());
    }

    /**
     * The key's hash (an HMAC costs about a microsecond; a key that is not even well formed counts as a dead one). A
     * key in memory is a working key and goes on whatever its source did; any other, from a source that sent too
     * many dead keys lately, is refused before it costs a query ({@link RateLimits#refuseIfGuessing}).
     */
    private String hashOf(String source, String authorization) {
        try {
            return authenticator.hashOf(authorization);
        } catch (ApiException e) {
            limits.failedKey(source);
            throw e;
        }
    }

    private Credential agentOf(String source, String hash) {
        try {
            return authenticator.agentOf(hash);
        } catch (ApiException e) {
            if (e.status() == 401) { // a suspended agent's key (403) is a known key, not a guess
                limits.failedKey(source);
            }
            throw e;
        }
    }

    /** A path segment taken from the caller, encoded so it cannot change the internal path. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The caller's query string, passed on as it came (the owning service checks it). */
    public static String query(String rawQuery) {
        return rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery;
    }
}
