package dev.shoal.gateway.api;

import static dev.shoal.testing.InternalApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.shoal.testing.InternalApi;
import dev.shoal.testing.ShoalTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Moving a service's calls (what a deploy does): only with the operator's token, only to a ready service on a host allowed. */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = "database", value = "gateway"),
                @ResourceArg(name = "unreachableServices", value = "true")})
class RouteResourceTest {
    @TestHTTPResource("/")
    URL self;
    @jakarta.inject.Inject
    ServiceClient services;

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void withoutTheOperatorsTokenNothingMoves() {
        String before = asOperator().get("/internal/routes").then().statusCode(200).extract().path("routes.feed");
        given().contentType("application/json").body(Map.of("url", "http://127.0.0.1:" + self.getPort()))
                .put("/internal/routes/feed").then().statusCode(404);
        given().contentType("application/json").header("X-Shoal-Internal-Token", "wrong")
                .body(Map.of("url", "http://127.0.0.1:" + self.getPort())).put("/internal/routes/feed")
                .then().statusCode(404);
        // The gateway's own token acts for agents, never as the operator.
        given().contentType("application/json").header("X-Shoal-Internal-Token", InternalApi.TOKEN)
                .body(Map.of("url", "http://127.0.0.1:" + self.getPort())).put("/internal/routes/feed")
                .then().statusCode(404);
        given().header("X-Shoal-Internal-Token", InternalApi.TOKEN).get("/internal/projections").then()
                .statusCode(404);
        asOperator().get("/internal/routes").then().body("routes.feed", equalTo(before));
    }

    @Test
    void badTargetsAreRefusedAndChangeNothing() throws Exception {
        String before = asOperator().get("/internal/routes").then().extract().path("routes.feed");
        asOperator().body(Map.of("url", "http://127.0.0.1:" + self.getPort())).put("/internal/routes/nosuch")
                .then().statusCode(404);
        for (String bad : new String[] {"ftp://127.0.0.1:1", "http://127.0.0.1", "http://127.0.0.1:1/path",
                "http://u:p@127.0.0.1:1", "not a url"}) {
            asOperator().body(Map.of("url", bad)).put("/internal/routes/feed").then().statusCode(400);
        }
        // The gateway hands its gateway token to whatever it calls: never to a host outside its list.
        asOperator().body(Map.of("url", "http://10.1.2.3:" + self.getPort())).put("/internal/routes/feed")
                .then().statusCode(403);
        // Nor to another port than the service's own or its twin, where anything might listen.
        asOperator().body(Map.of("url", "http://127.0.0.1:" + self.getPort())).put("/internal/routes/feed")
                .then().statusCode(403);
        // Nothing answers on the twin port: not ready, so the traffic stays.
        int twin = java.net.URI.create(before).getPort() + 100;
        asOperator().body(Map.of("url", "http://127.0.0.1:" + twin)).put("/internal/routes/feed")
                .then().statusCode(409).body("error", org.hamcrest.Matchers.containsString("does not answer ready"));
        asOperator().get("/internal/routes").then().body("routes.feed", equalTo(before));
    }

    @Test
    void aReadyServiceOnTheTwinPortGetsTheCalls() throws Exception {
        String before = asOperator().get("/internal/routes").then().extract().path("routes.post");
        // A stand-in for the new build: something on post-service's twin port that answers ready.
        int twin = java.net.URI.create(before).getPort() + 100;
        com.sun.net.httpserver.HttpServer ready = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", twin), 0);
        ready.createContext("/q/health/ready", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        ready.start();
        String here = "http://127.0.0.1:" + twin;
        try {
            asOperator().body(Map.of("url", here)).put("/internal/routes/post").then().statusCode(200)
                    .body("routes.post", equalTo(here));
            asOperator().get("/internal/routes").then().body("routes.post", equalTo(here));
        } finally {
            services.moveTo(ServiceClient.Target.POST, before);
            ready.stop(0);
        }
    }
}
