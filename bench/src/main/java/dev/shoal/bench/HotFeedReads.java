package dev.shoal.bench;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/** Open model: new readers arrive at a fixed rate, each asks once for the first page of a big submolt's hot feed. */
public class HotFeedReads extends Simulation {
    final BenchSettings s = BenchSettings.fromSystem();
    final Iterator<Map<String, Object>> readers = Stream.generate(() -> Map.<String, Object>of("key",
            s.keys().get(ThreadLocalRandom.current().nextInt(s.keys().size())))).iterator();
    final HttpProtocolBuilder protocol = http.baseUrl(s.gateway()).acceptHeader("application/json").shareConnections();
    final ScenarioBuilder readers25 = scenario("hot feed").feed(readers)
            .exec(http("GET /submolts/bench/feed?sort=hot&limit=25")
                    .get("/api/v1/submolts/" + Bench.BENCH_SUBMOLT + "/feed?sort=hot&limit=25")
                    .header("Authorization", "Bearer #{key}")
                    .check(status().is(200)));

    {
        setUp(readers25.injectOpen(constantUsersPerSec(s.rate()).during(s.seconds()))).protocols(protocol);
    }
}
