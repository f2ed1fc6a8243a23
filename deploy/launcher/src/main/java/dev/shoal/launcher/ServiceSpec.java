package dev.shoal.launcher;

import java.nio.file.Path;

/**
 * One service as the launcher starts it: its module, its configured port and its database. {@code ownsAggregates}: it
 * writes through Hibernate Reactive, so it also gets the reactive datasource's URL. Where an instance runs now (a
 * deploy moves it to another port) is {@link Stack#url}'s business.
 */
public record ServiceSpec(String name, String module, int port, String database, boolean hasProjections,
                          boolean ownsAggregates) {
    /** The built application ({@code target/quarkus-app}) in a checkout. */
    public Path app(Path root) {
        return root.resolve(module).resolve("target/quarkus-app");
    }

    /** The port a deploy starts the next build on: the configured one's twin, 100 above it, and back. */
    public int otherPort(int current) {
        return current == port ? port + 100 : port;
    }
}
