package dev.shoal.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.shoal.platform.projection.ProjectionStatus;

/**
 * Ready when every projection has its partitions and offsets and none is further behind the log than
 * {@code shoal.projections.ready-max-lag} (or stopped); reports why not, each one's lag and the relay's state.
 */
@Readiness
@ApplicationScoped
public class PlatformReadiness implements HealthCheck {
    private final ProjectionLifecycle projections;
    private final OutboxRelayLifecycle relay;
    private final java.time.Duration maxLag;

    public PlatformReadiness(ProjectionLifecycle projections, OutboxRelayLifecycle relay, ProjectionsConfig config) {
        this.projections = projections;
        this.relay = relay;
        this.maxLag = config.readyMaxLag();
    }

    @Override
    public HealthCheckResponse call() {
        String notReady = projections.manager().notReadyBecause(maxLag);
        HealthCheckResponseBuilder b = HealthCheckResponse.named("shoal").status(notReady == null);
        if (notReady != null) {
            b.withData("notReady", notReady);
        }
        for (ProjectionStatus s : projections.manager().status()) {
            b.withData(s.projection() + ".version", s.version());
            b.withData(s.projection() + ".lag", s.lag());
            if (s.unknownEvents() > 0 || s.malformedEvents() > 0) {
                b.withData(s.projection() + ".skipped", s.unknownEvents() + " of unknown types, " + s.malformedEvents()
                        + " malformed");
            }
            if (s.foreignEvents() > 0) {
                b.withData(s.projection() + ".refused", s.foreignEvents() + " whose source does not own their topic");
            }
            if (s.deadLetters() > 0) {
                b.withData(s.projection() + ".deadLetters", s.deadLetters());
            }
            if (s.lastError() != null) {
                b.withData(s.projection() + ".lastError", s.lastError());
            }
        }
        b.withData("outbox.relay", relay.enabled() ? relay.relay().isLeader() ? "leader" : "standby" : "off");
        b.withData("outbox.published", relay.relay().publishedCount());
        return b.build();
    }
}
