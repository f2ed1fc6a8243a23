package dev.shoal.platform.messaging;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.shoal.platform.projection.ProjectionStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * What an operator watches on {@code /q/metrics}, beside Quarkus' own request timings: each projection's lag (records
 * and milliseconds behind the log) and, in services that write events, the outbox rows not yet published.
 */
@ApplicationScoped
public class PlatformMetrics {
    private final MeterRegistry registry;
    private final ProjectionLifecycle projections;
    private final OutboxRelayLifecycle relay;
    private final DataSource dataSource;

    public PlatformMetrics(MeterRegistry registry, ProjectionLifecycle projections, OutboxRelayLifecycle relay,
                           DataSource dataSource) {
        this.registry = registry;
        this.projections = projections;
        this.relay = relay;
        this.dataSource = dataSource;
    }

    void register(@Observes StartupEvent event) {
        for (String name : projections.manager().names()) {
            gauge("shoal.projection.lag.events", name, "records in the log not yet applied", ProjectionStatus::lag);
            gauge("shoal.projection.lag.ms", name, "how long ago the newest applied event happened, while behind",
                    ProjectionStatus::lagMillis);
            gauge("shoal.projection.events.applied", name, "records applied since start",
                    ProjectionStatus::eventsApplied);
            gauge("shoal.projection.events.unknown", name, "events of types this build does not know, skipped",
                    ProjectionStatus::unknownEvents);
            gauge("shoal.projection.events.malformed", name, "records that are not Shoal events, skipped",
                    ProjectionStatus::malformedEvents);
            gauge("shoal.projection.events.foreign", name, "events whose source does not own their topic, refused",
                    ProjectionStatus::foreignEvents);
            gauge("shoal.projection.events.dead", name, "events it could not apply, set aside on shoal.deadletter",
                    ProjectionStatus::deadLetters);
        }
        if (relay.enabled()) {
            Gauge.builder("shoal.outbox.backlog", this, PlatformMetrics::unpublished)
                    .description("outbox rows not yet published to Kafka").register(registry);
            Gauge.builder("shoal.outbox.published", relay, r -> r.relay().publishedCount())
                    .description("events this replica's relay has published since start").register(registry);
        }
    }

    private void gauge(String metric, String projection, String description, ToDoubleFunction<ProjectionStatus> value) {
        Gauge.builder(metric, projections, p -> p.manager().status().stream()
                        .filter(s -> s.projection().equals(projection)).findFirst().map(value::applyAsDouble)
                        .orElse(Double.NaN))
                .tag("projection", projection).description(description).register(registry);
    }

    private double unpublished() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
