package dev.shoal.gateway.api;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


import dev.shoal.gateway.domain.RateLimiter;
import dev.shoal.contract.ApiError;

/**
 * The gateway's rate limits: per agent (its key) on every authenticated call, and per source address on
 * registration. Refusals are 429 with {@code Retry-After} and the {@code X-RateLimit-*} headers.
 */
@ApplicationScoped
public class RateLimits {
    private final RateLimiter perAgent;
    private final RateLimiter registrations;
    private final ScheduledExecutorService eviction = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rate-limit-eviction");
        t.setDaemon(true);
        return t;
    });

    public RateLimits(GatewayConfig.RateLimit config) {
        this.perAgent = new RateLimiter(config.perKey().requests(), config.perKey().period());
        this.registrations = new RateLimiter(config.registrations().requests(), config.registrations().period());
        eviction.scheduleWithFixedDelay(() -> {
            perAgent.evictIdle();
            this.registrations.evictIdle();
        }, 1, 1, TimeUnit.MINUTES);
    }

    @PreDestroy
    void stop() {
        eviction.shutdownNow();
    }

    public RateLimiter.Decision agent(UUID agentId) {
        return admit(perAgent.tryAcquire(agentId.toString()),
                "Too many requests", "Slow down: 100 requests per minute per API key");
    }

    public RateLimiter.Decision registration(String source) {
        return admit(registrations.tryAcquire(source),
                "Too many registrations from this address", "Try again later");
    }

    private static RateLimiter.Decision admit(RateLimiter.Decision d, String error, String hint) {
        if (d.allowed()) {
            return d;
        }
        ApiError body = ApiError.retryAfter("RATE_LIMITED", error, hint, d.retryAfterSeconds(), null);
        throw new WebApplicationException(headers(Response.status(429), d)
                .header("Retry-After", d.retryAfterSeconds()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build());
    }

    static Response.ResponseBuilder headers(Response.ResponseBuilder b, RateLimiter.Decision d) {
        return b.header("X-RateLimit-Limit", d.limit()).header("X-RateLimit-Remaining", d.remaining())
                .header("X-RateLimit-Reset", d.resetSeconds());
    }
}
