package dev.shoal.platform.messaging;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.projection.ProjectionManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Starts the service's projections (every {@link Projection} bean) and reports them as a readiness check. */
@ApplicationScoped
public class ProjectionLifecycle {
    private final ProjectionManager manager;

    public ProjectionLifecycle(DataSource dataSource, KafkaSettings kafka, Instance<Projection> projections,
                               @ConfigProperty(name = "shoal.projections.read-schema", defaultValue = "live") String readSchema,
                               @ConfigProperty(name = "shoal.projections.poll-timeout", defaultValue = "PT0.1S") Duration poll,
                               @ConfigProperty(name = "shoal.projections.rebuild.caught-up-lag", defaultValue = "500") long caughtUpLag,
                               @ConfigProperty(name = "shoal.projections.rebuild.align-timeout", defaultValue = "PT2M") Duration align) {
        this.manager = new ProjectionManager(dataSource, kafka.base(),
                new ProjectionManager.Settings(readSchema, poll, caughtUpLag, align), List.copyOf(projections.stream().toList()));
    }

    void onStart(@Observes StartupEvent event) throws SQLException {
        manager.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        manager.close();
    }

    public ProjectionManager manager() {
        return manager;
    }
}
