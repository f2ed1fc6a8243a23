package dev.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.testing.ShoalTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
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

    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    /** The public port serves no health details nor metrics: those are on the loopback management interface. */
    @Test
    void healthAndMetricsAreOnlyOnTheManagementInterface() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        // Shoal's own check by name: the live pages' messaging adds a check of its own, in no fixed order.
        given().get(ready).then().statusCode(200).body("checks.find { it.name == 'shoal' }.data",
                org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void metricsShowRequestTimingsAndEachProjectionsLag() {
        given().get("/api/v1/agents/me").then().statusCode(401);
        given().get(metrics).then().statusCode(200)
                .body(containsString("shoal_projection_lag_events{projection=\"credentials\"}"))
                .body(containsString("shoal_projection_lag_ms{projection=\"credentials\"}"))
                .body(containsString("http_server_requests_seconds_count"));
    }

    /**
     * Every operation of the agent API names its request and answer records, as the services send them: no byte
     * bodies, no untyped answers, and the one error body for refusals.
     */
    @Test
    void openApiDocumentsEveryBodyAsARecord() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        List<String> untyped = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            if (!path.getKey().startsWith("/api/v1/") || path.getKey().equals("/api/v1/health")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                operations++;
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode request = op.getValue().path("requestBody");
                if (!request.isMissingNode() && !refersToRecord(request)) {
                    untyped.add(where + " request");
                }
                boolean answered = false;
                for (Map.Entry<String, JsonNode> response : op.getValue().get("responses").properties()) {
                    if (response.getKey().startsWith("2")) {
                        answered = true;
                        if (!refersToRecord(response.getValue())) {
                            untyped.add(where + " " + response.getKey());
                        }
                    }
                }
                if (!answered || !refersToRecord(op.getValue().get("responses").path("default"))) {
                    untyped.add(where + " (no 2xx record or no error record)");
                }
            }
        }
        assertEquals(List.of(), untyped);
        assertTrue(operations >= 30, "only " + operations + " operations documented");
        List<String> opaque = new ArrayList<>();
        doc.get("paths").properties().forEach(p -> {
            if (p.getValue().toString().contains("\"binary\"")) {
                opaque.add(p.getKey());
            }
        });
        JsonNode schemas = doc.get("components").get("schemas");
        schemas.properties().forEach(s -> {
            if (s.getKey().startsWith("JsonNode") || s.getValue().toString().contains("\"binary\"")) {
                opaque.add(s.getKey());
            }
        });
        assertEquals(List.of(), opaque, "bodies documented as bytes or as Jackson's tree");
        assertTrue(schemas.get("Post").get("properties").has("userVote"));
        assertTrue(schemas.get("ApiError").get("properties").has("retry_after_seconds"));
        assertTrue(schemas.get("NewAgent").get("properties").has("api_key"));
        assertEquals("#/components/schemas/CreatePost", doc.at("/paths/~1api~1v1~1posts/post/requestBody/content")
                .get("application/json").get("schema").get("$ref").asText());
    }

    private static boolean refersToRecord(JsonNode bodyOrResponse) {
        JsonNode json = bodyOrResponse.path("content").path("application/json").path("schema").path("$ref");
        return json.isTextual() && json.asText().startsWith("#/components/schemas/");
    }
}
