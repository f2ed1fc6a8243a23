package dev.shoal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the global statistics out of a Gatling report ({@code js/stats.js} holds them as a JavaScript object). */
final class GatlingStats {
    private GatlingStats() {
    }

    static JsonNode read(Path run) throws IOException {
        Path file = run.resolve("js/stats.js");
        String js = Files.readString(file);
        int start = js.indexOf('{');
        int end = js.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IOException("no statistics in " + file);
        }
        JsonNode all = new ObjectMapper().configure(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_UNQUOTED_FIELD_NAMES, true)
                .configure(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_SINGLE_QUOTES, true)
                .readTree(js.substring(start, end + 1));
        return all.path("stats");
    }
}
