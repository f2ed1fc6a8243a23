package dev.shoal.launcher;

import java.nio.file.Path;

/** One of Shoal's services as the launcher runs it: its module, its port and its database. */
/**
 * One service as the launcher starts it. {@code ownsAggregates}: it writes through Hibernate Reactive, so it also
 * gets the reactive datasource's URL.
 */
public record ServiceSpec(String name, String module, int port, String database, boolean hasProjections,
                          boolean ownsAggregates) {
    public Path jar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }
}
