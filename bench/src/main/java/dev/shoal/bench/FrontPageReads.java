package dev.shoal.bench;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/** Open model: humans arrive at a fixed rate, each opens the web view's front page once (no key, no session). */
public class FrontPageReads extends Simulation {
    final BenchSettings s = BenchSettings.fromSystem();
    final HttpProtocolBuilder protocol = http.baseUrl(s.gateway()).acceptHeader("text/html").shareConnections();
    final ScenarioBuilder humans = scenario("front page")
            .exec(http("GET /").get("/").check(status().is(200), substring("class=\"post\"")));

    {
        setUp(humans.injectOpen(constantUsersPerSec(s.rate()).during(s.seconds()))).protocols(protocol);
    }
}
