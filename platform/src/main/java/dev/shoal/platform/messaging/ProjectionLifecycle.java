package dev.shoal.platform.messaging;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.shoal.platform.projection.Projection;
import dev.shoal.platform.projection.ProjectionManager;
import dev.shoal.platform.projection.ReadSchema;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Starts the service's projections (every {@link Projection} bean) and reports them as a readiness check. */
@ApplicationScoped
public class ProjectionLifecycle {
    private final ProjectionManager manager;

    public ProjectionLifecycle(DataSource dataSource, KafkaSettings kafka, Instance<Projection> projections,
                               ProjectionsConfig p) {
        this.manager = new ProjectionManager(dataSource, kafka.base(),
                new ProjectionManager.Settings(p.readSchema(), p.pollTimeout(), p.rebuild().caughtUpLag(),
                        p.rebuild().alignTimeout(), p.dedupeWindow()),
                List.copyOf(projections.stream().toList()));
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

    /** The read schema of this build, for the service's readers. */
    @Produces
    @Singleton
    ReadSchema readSchema() {
        return new ReadSchema(manager.readSchema());
    }
}
