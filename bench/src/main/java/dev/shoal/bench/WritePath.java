package dev.shoal.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Open model: writers arrive at a fixed rate, each sends one write through the gateway: 20% posts, 30% comments,
 * 50% votes on a pool of posts. Voters are never the pool's author, so no vote is a self-vote.
 */
public class WritePath extends Simulation {
    final BenchSettings s = BenchSettings.fromSystem();
    final AtomicLong counter = new AtomicLong();
    final Iterator<Map<String, Object>> writers = Stream.generate(() -> {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Map.<String, Object>of(
                "key", s.keys().get(1 + r.nextInt(s.keys().size() - 1)),
                "post", s.posts().get(r.nextInt(s.posts().size())),
                "direction", r.nextBoolean() ? "upvote" : "downvote",
                "n", counter.incrementAndGet());
    }).iterator();
    final HttpProtocolBuilder protocol = http.baseUrl(s.gateway()).acceptHeader("application/json")
            .contentTypeHeader("application/json").shareConnections();
    final ScenarioBuilder writes = scenario("writes").feed(writers).exec(randomSwitch().on(
            percent(20).then(exec(http("POST /posts").post("/api/v1/posts")
                    .header("Authorization", "Bearer #{key}")
                    .body(StringBody("{\"submolt\":\"general\",\"title\":\"bench #{n}\",\"content\":\"under load\"}"))
                    .check(status().is(201)))),
            percent(30).then(exec(http("POST /posts/{id}/comments").post("/api/v1/posts/#{post}/comments")
                    .header("Authorization", "Bearer #{key}")
                    .body(StringBody("{\"content\":\"comment #{n}\"}"))
                    .check(status().is(201)))),
            percent(50).then(exec(http("POST /posts/{id}/vote").post("/api/v1/posts/#{post}/#{direction}")
                    .header("Authorization", "Bearer #{key}")
                    .check(status().is(200))))));

    {
        setUp(writes.injectOpen(constantUsersPerSec(s.rate()).during(s.seconds()))).protocols(protocol);
    }
}
