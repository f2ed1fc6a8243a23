package dev.shoal.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Calls a service's internal API in tests with the test profile's credentials: as the gateway does (for an agent or
 * not), or as the operator's {@code ./services} does.
 */
public final class InternalApi {
    /** The {@code %test} profile's gateway token, which the routes acting for agents accept. */
    public static final String TOKEN = "test-gateway-token";
    /** The {@code %test} profile's operator token, which the operator routes accept. */
    public static final String OPERATOR_TOKEN = "test-operator-token";

    private InternalApi() {
    }

    /** As the gateway. */
    public static RequestSpecification internal() {
        return given().header("X-Shoal-Internal-Token", TOKEN).contentType(ContentType.JSON);
    }

    /** As the operator: projections, restores, routes. */
    public static RequestSpecification asOperator() {
        return given().header("X-Shoal-Internal-Token", OPERATOR_TOKEN).contentType(ContentType.JSON);
    }

    public static RequestSpecification as(UUID agent) {
        return internal().header("X-Shoal-Agent-Id", agent.toString());
    }

    /** Reads are eventually consistent: polls {@code GET path} (as the caller) until {@code jsonPath} equals {@code expected}. */
    public static Response await(UUID caller, String path, String jsonPath, Object expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Response r = (caller == null ? internal() : as(caller)).get(path);
            if (r.statusCode() == 200 && expected.equals(r.path(jsonPath))) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " never had " + jsonPath + " = " + expected + ": " + r.asString());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public static Response await(String path, String jsonPath, Object expected) {
        return await(null, path, jsonPath, expected);
    }
}
