package dev.shoal.platform.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.platform.messaging.ProjectionLifecycle;
import dev.shoal.platform.messaging.ProjectionsConfig;
import dev.shoal.platform.projection.ProjectionManager;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * An agent reads its own writes. A write answers with the last event it recorded ({@value #WRITTEN}: its topic and
 * id); the gateway remembers the agent's writes of the last seconds and names them on that agent's next reads
 * ({@value #AWAIT}, comma-separated); a service then holds the read until its projections of each write's topic
 * have applied it, at most
 * {@code shoal.projections.read-your-writes-wait} (1 s), and past that answers what it has, marked
 * {@value #STALE}. Reads that name no write never wait. Other agents' reads stay eventually consistent.
 */
public class ReadYourWrites {
    public static final String WRITTEN = "X-Shoal-Written";
    public static final String AWAIT = "X-Shoal-Await";
    public static final String STALE = "X-Shoal-Stale";
    private static final String LAST_WRITTEN = "shoal.written";
    private static final String AWAITED = "shoal.awaited";
    private static final String STALE_PROPERTY = "shoal.stale";
    private static final Logger LOG = Logger.getLogger(ReadYourWrites.class);

    private final ProjectionLifecycle projections;
    private final Duration wait;

    public ReadYourWrites(ProjectionLifecycle projections, ProjectionsConfig config) {
        this.projections = projections;
        this.wait = config.readYourWritesWait();
    }

    /** Called by a writer once its transaction committed: the call's answer will name this event. */
    public static void written(Topic topic, EventEnvelope last) {
        try {
            ContextLocals.put(LAST_WRITTEN, topic.id() + " " + last.id());
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // Not inside a request (a restore, a test's direct call): nobody will read the header.
        }
    }

    /**
     * Whether the current request named writes of its caller's to wait for: a reader that caches what everyone sees
     * for a bounded time must not serve it such a request, whose own write may be newer than the cached answer.
     * False outside a request.
     */
    public static boolean awaited() {
        try {
            return ContextLocals.<Boolean>get(AWAITED).orElse(false);
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return false;
        }
    }

    /** Writes kept per agent, and so named in one header, at most. */
    static final int MAX_AWAITED = 16;

    /** The writes a header names ({@code topic id,topic id}), skipping what does not read; empty for none. */
    static List<ProjectionManager.Awaited> parse(String header) {
        List<ProjectionManager.Awaited> awaited = new ArrayList<>();
        if (header == null) {
            return awaited;
        }
        for (String one : header.split(",")) {
            String[] parts = one.trim().split(" ");
            if (parts.length != 2 || awaited.size() >= MAX_AWAITED) {
                continue;
            }
            try {
                awaited.add(new ProjectionManager.Awaited(Topic.byId(parts[0]).id(), UUID.fromString(parts[1])));
            } catch (IllegalArgumentException e) {
                // not a write of ours: ignored
            }
        }
        return awaited;
    }

    /**
     * Only on internal reads, after {@link InternalCaller} has let the gateway through (a later priority than its
     * filters): anyone else naming a write would hold a worker thread and a connection for a second.
     */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Void> awaitOwnWrite(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/internal")) {
            return Uni.createFrom().voidItem();
        }
        List<ProjectionManager.Awaited> awaited = parse(request.getHeaderString(AWAIT));
        if (awaited.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ContextLocals.put(AWAITED, Boolean.TRUE);
        return Uni.createFrom().item(() -> {
            try {
                if (!projections.manager().awaitApplied(awaited, wait)) {
                    request.setProperty(STALE_PROPERTY, Boolean.TRUE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                request.setProperty(STALE_PROPERTY, Boolean.TRUE);
            } catch (RuntimeException e) {
                LOG.debugf("cannot tell whether %s were applied: %s", awaited, e);
                request.setProperty(STALE_PROPERTY, Boolean.TRUE);
            }
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @ServerResponseFilter
    public void mark(ContainerRequestContext request, ContainerResponseContext response) {
        if (Boolean.TRUE.equals(request.getProperty(STALE_PROPERTY))) {
            response.getHeaders().putSingle(STALE, "true");
        }
        try {
            ContextLocals.<String>get(LAST_WRITTEN).ifPresent(w -> {
                if (response.getStatus() / 100 == 2) {
                    response.getHeaders().putSingle(WRITTEN, w);
                }
            });
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // no request context to read
        }
    }
}
