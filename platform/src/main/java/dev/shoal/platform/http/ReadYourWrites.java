package dev.shoal.platform.http;

import java.time.Duration;
import java.util.UUID;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.Topic;
import dev.shoal.platform.messaging.ProjectionLifecycle;
import dev.shoal.platform.messaging.ProjectionsConfig;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * An agent reads its own writes. A write answers with the last event it recorded ({@value #WRITTEN}: its topic and
 * id); the gateway remembers it for the agent and names it on that agent's next reads ({@value #AWAIT}); a service
 * then holds the read until its projections of that topic have applied the event, at most
 * {@code shoal.projections.read-your-writes-wait} (1 s), and past that answers what it has, marked
 * {@value #STALE}. Reads that name no write never wait. Other agents' reads stay eventually consistent.
 */
public class ReadYourWrites {
    public static final String WRITTEN = "X-Shoal-Written";
    public static final String AWAIT = "X-Shoal-Await";
    public static final String STALE = "X-Shoal-Stale";
    private static final String LAST_WRITTEN = "shoal.written";
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

    /** The topic and event id a header names, or null when it names none that reads. */
    static String[] parse(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.trim().split(" ");
        if (parts.length != 2) {
            return null;
        }
        try {
            Topic.byId(parts[0]);
            UUID.fromString(parts[1]);
            return parts;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @ServerRequestFilter
    public Uni<Void> awaitOwnWrite(ContainerRequestContext request) {
        String[] awaited = parse(request.getHeaderString(AWAIT));
        if (awaited == null || !"GET".equals(request.getMethod())) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> {
            try {
                if (!projections.manager().awaitApplied(awaited[0], UUID.fromString(awaited[1]), wait)) {
                    request.setProperty(STALE_PROPERTY, Boolean.TRUE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                request.setProperty(STALE_PROPERTY, Boolean.TRUE);
            } catch (RuntimeException e) {
                LOG.debugf("cannot tell whether %s was applied: %s", awaited[1], e);
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
