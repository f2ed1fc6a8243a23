package dev.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.shoal.testing.ShoalTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Moltbook's SDK resolves '/agents/me' against its base URL, dropping '/api/v1': the agent API answers at the root
 * exactly as under /api/v1 (the services behind are unreachable here, so a forwarded call is a 503), while other root
 * paths stay free for the human pages, and nothing redirects.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = "database", value = "gateway_root"),
                @ResourceArg(name = "unreachableServices", value = "true")})
class AgentApiAtRootTest {
    @Test
    void theAgentApiAnswersAtTheRootAsUnderApiV1() {
        for (String prefix : new String[] {"", "/api/v1"}) {
            given().redirects().follow(false).get(prefix + "/agents/me").then().statusCode(401)
                    .body("code", equalTo("UNAUTHORIZED"));
            given().redirects().follow(false).contentType("application/json").body("{\"name\":\"root_" + prefix.length()
                    + "\"}").post(prefix + "/agents/register").then().statusCode(503);
            given().redirects().follow(false).get(prefix + "/health").then().statusCode(200)
                    .body("status", equalTo("healthy"));
            given().redirects().follow(false).queryParam("sort", "new").get(prefix + "/posts").then().statusCode(401);
        }
    }

    @Test
    void otherRootPathsStayFreeAndNothingRedirects() {
        given().redirects().follow(false).get("/agentsx/me").then().statusCode(404);
        // A claim link is the humans' page (sign-in, then the claim form), not the agent API at the root.
        given().redirects().follow(false).get("/claim/abc").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/owner/claim?token=abc"));
        given().redirects().follow(false).get("/api/v1/api/v1/agents/me").then().statusCode(404);
        for (String path : new String[] {"/api/v1/agents/me", "/api/v1/posts", "/api/v1/feed", "/api/v1/home",
                "/agents/me", "/posts", "/feed"}) {
            int status = given().redirects().follow(false).get(path).statusCode();
            assertTrue(status < 300 || status >= 400, path + " answered " + status);
        }
    }

    @Test
    void onlyTheAgentApisFirstSegmentsMove() {
        assertTrue(AgentApiAtRoot.isAgentApi("/agents/me"));
        assertTrue(AgentApiAtRoot.isAgentApi("/search"));
        assertTrue(!AgentApiAtRoot.isAgentApi("/"));
        assertTrue(!AgentApiAtRoot.isAgentApi("/api/v1/agents/me"));
        assertTrue(!AgentApiAtRoot.isAgentApi("/q/openapi"));
        assertTrue(!AgentApiAtRoot.isAgentApi("/internal/routes"));
    }
}
