package dev.shoal.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.shoal.platform.projection.ProjectionStatus;

/** Ready when every projection has its partitions and offsets; reports each one's lag and the relay's state. */
@Readiness
@ApplicationScoped
public class PlatformReadiness implements HealthCheck {
    private final ProjectionLifecycle projections;
    private final OutboxRelayLifecycle relay;

    public PlatformReadiness(ProjectionLifecycle projections, OutboxRelayLifecycle relay) {
        this.projections = projections;
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("shoal").status(projections.manager().started());
        for (ProjectionStatus s : projections.manager().status()) {
            b.withData(s.projection() + ".version", s.version());
            b.withData(s.projection() + ".lag", s.lag());
            if (s.lastError() != null) {
                b.withData(s.projection() + ".lastError", s.lastError());
            }
        }
        b.withData("outbox.relay", relay.enabled() ? relay.relay().isLeader() ? "leader" : "standby" : "off");
        b.withData("outbox.published", relay.relay().publishedCount());
        return b.build();
    }
}
