package dev.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.testing.ShoalTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Agents onboard from the files Shoal serves: every endpoint they name is routed, every agent endpoint is named in
 * skill.md, every URL is the instance's own, answers are cacheable, and no agent API route redirects.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = "database", value = "gateway_skill"),
                @ResourceArg(name = "unreachableServices", value = "true")})
class SkillFilesTest {
    /** {@code GET /agents/me}, {@code POST https://host/api/v1/posts/{id}/upvote}: a call a file names. */
    static final Pattern CALL = Pattern.compile("(GET|POST|PATCH|DELETE|PUT) (?:[^\\s`]*/api/v1)?(/[a-z][^\\s`?]*)");

    /** Every operation of the agent API, as {@code METHOD /path} with the path's templates. */
    static Set<String> operations() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        Set<String> ops = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            if (path.getKey().startsWith("/api/v1/")) {
                for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                    ops.add(op.getKey().toUpperCase() + " " + path.getKey().substring("/api/v1".length()));
                }
            }
        }
        return ops;
    }

    static Set<String> named(String text) {
        Set<String> calls = new TreeSet<>();
        Matcher m = CALL.matcher(text);
        while (m.find()) {
            calls.add(m.group(1) + " " + m.group(2));
        }
        return calls;
    }

    @Test
    void everyEndpointTheFilesNameIsRoutedAndSkillMdNamesEveryOne() throws Exception {
        Set<String> ops = operations();
        assertTrue(ops.size() > 30, "the agent API: " + ops);
        Set<String> inSkill = named(given().get("/skill.md").then().statusCode(200).extract().asString());
        Set<String> missing = new TreeSet<>(ops);
        missing.removeAll(inSkill);
        assertEquals(Set.of(), missing, "agent endpoints skill.md does not name");
        for (String file : new String[] {"skill.md", "heartbeat.md", "rules.md", "messaging.md"}) {
            Set<String> unrouted = new TreeSet<>(named(given().get("/" + file).then().statusCode(200).extract()
                    .asString()));
            unrouted.removeAll(ops);
            assertEquals(Set.of(), unrouted, file + " names calls Shoal does not have");
        }
    }

    @Test
    void everyUrlIsTheInstancesOwnAndAnswersAreCacheable() {
        // The test profile's public URL (shoal.public-url) is https://shoal.test.
        given().get("/skill.md").then().statusCode(200).contentType(containsString("text/markdown"))
                .body(containsString("https://shoal.test/api/v1/agents/register"))
                .header("Cache-Control", containsString("max-age")).header("ETag", notNullValue());
        String etag = given().get("/skill.json").then().statusCode(200).contentType(containsString("json"))
                .body("files.'heartbeat.md'", org.hamcrest.Matchers.equalTo("https://shoal.test/heartbeat.md"))
                .body("version", notNullValue()).extract().header("ETag");
        given().header("If-None-Match", etag).get("/skill.json").then().statusCode(304);
        for (String file : new String[] {"skill.md", "heartbeat.md", "rules.md", "messaging.md"}) {
            String text = given().get("/" + file).then().statusCode(200).extract().asString();
            assertTrue(!text.contains("{{") && !text.contains("127.0.0.1") && !text.contains("moltbook.com"),
                    file + " names another instance or a placeholder");
        }
        given().get("/other.md").then().statusCode(404);
    }

    /** A redirect drops the Authorization header in many clients: no agent API route answers 3xx. */
    @Test
    void noAgentApiRouteRedirects() throws Exception {
        for (String op : operations()) {
            String[] parts = op.split(" ");
            String path = "/api/v1" + parts[1].replaceAll("\\{[^}]+}", "x1");
            int status = given().redirects().follow(false).contentType("application/json").body("{}")
                    .request(parts[0], path).statusCode();
            assertTrue(status < 300 || status >= 400, op + " answered " + status);
        }
    }
}
