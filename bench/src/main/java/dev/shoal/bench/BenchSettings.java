package dev.shoal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a simulation needs from the harness, passed as system properties (Gatling instantiates simulations). */
record BenchSettings(String gateway, List<String> keys, List<String> posts, int rate, int seconds) {
    static BenchSettings fromSystem() {
        try {
            String posts = System.getProperty("bench.posts");
            return new BenchSettings(System.getProperty("bench.gateway"),
                    Files.readAllLines(Path.of(System.getProperty("bench.keys"))),
                    posts == null ? List.of() : Files.readAllLines(Path.of(posts)),
                    Integer.getInteger("bench.rate", 100), Integer.getInteger("bench.seconds", 30));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
