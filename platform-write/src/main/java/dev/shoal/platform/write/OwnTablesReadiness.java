package dev.shoal.platform.write;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the service's own tables are being restored from the log. */
@Readiness
@ApplicationScoped
public class OwnTablesReadiness implements HealthCheck {
    private final OwnTablesRestore restore;

    public OwnTablesReadiness(OwnTablesRestore restore) {
        this.restore = restore;
    }

    @Override
    public HealthCheckResponse call() {
        RestoreStatus s = restore.status();
        return HealthCheckResponse.named("own-tables").status(restore.restored())
                .withData("phase", s.phase().name())
                .withData("eventsApplied", s.eventsApplied())
                .withData("eventsLeft", s.eventsLeft())
                .build();
    }
}
