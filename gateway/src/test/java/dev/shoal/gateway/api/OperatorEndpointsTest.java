package dev.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import dev.shoal.testing.ShoalTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What operators and API users find under /q: the API explorer, its document, metrics with projection lag. */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = "database", value = "gateway"),
                @ResourceArg(name = "unreachableServices", value = "true")})
class OperatorEndpointsTest {
    @Test
    void swaggerUiServesTheApiExplorer() {
        given().redirects().follow(true).get("/q/swagger-ui/").then().statusCode(200)
                .body(containsString("swagger-ui"));
    }

    @Test
    void metricsShowRequestTimingsAndEachProjectionsLag() {
        given().get("/api/v1/agents/me").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("shoal_projection_lag_events{projection=\"credentials\"}"))
                .body(containsString("shoal_projection_lag_ms{projection=\"credentials\"}"))
                .body(containsString("http_server_requests_seconds_count"));
    }
}
