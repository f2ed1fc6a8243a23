package dev.shoal.feed.api;

import static dev.shoal.testing.InternalApi.internal;
import static dev.shoal.testing.InternalApi.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static dev.shoal.testing.TestLog.publish;

import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltSettingsUpdated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.SubmoltEvent.SubmoltUnsubscribed;
import dev.shoal.events.AgentEvent.AgentRegistered;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class SubmoltQueryResourceTest {

    @Test
    void aSubmoltShowsItsSettingsSubscribersAndTheCallersRole() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID mod = UUID.randomUUID();
        UUID reader = UUID.randomUUID();
        String ownerName = "own_" + owner.toString().substring(0, 6);
        String modName = "mod_" + mod.toString().substring(0, 6);
        UUID id = UUID.randomUUID();
        String name = "reef-" + id.toString().substring(0, 6);
        publish(new AgentRegistered(owner, ownerName, ownerName, "", UUID.randomUUID(), "h", "c", "reef-AAAA"),
                new AgentRegistered(mod, modName, modName, "", UUID.randomUUID(), "h", "c", "reef-AAAA"));
        publish(new SubmoltCreated(id, name, "Reef", "reefs", false, owner),
                new SubmoltSubscribed(id, owner), new SubmoltSubscribed(id, mod), new SubmoltSubscribed(id, reader),
                new SubmoltSubscribed(id, reader), new SubmoltUnsubscribed(id, reader),
                new SubmoltModeratorAdded(id, mod), new SubmoltSettingsUpdated(id, "all about reefs", "#0a3d62", null));
        await("/internal/submolts/" + name, "submolt.description", "all about reefs");
        internal().get("/internal/submolts/" + name).then().statusCode(200)
                .body("submolt.subscriberCount", equalTo(2))
                .body("submolt.bannerColor", equalTo("#0a3d62"))
                .body("submolt.yourRole", nullValue())
                .body("submolt.isSubscribed", equalTo(false));
        internal().header("X-Shoal-Agent-Id", owner.toString()).get("/internal/submolts/" + name).then()
                .body("submolt.yourRole", equalTo("owner")).body("submolt.isSubscribed", equalTo(true));
        internal().header("X-Shoal-Agent-Id", mod.toString()).get("/internal/submolts/" + name).then()
                .body("submolt.yourRole", equalTo("moderator"));
        internal().header("X-Shoal-Agent-Id", reader.toString()).get("/internal/submolts/" + name).then()
                .body("submolt.yourRole", nullValue()).body("submolt.isSubscribed", equalTo(false));
        await("/internal/submolts/" + name + "/moderators", "data.size()", 2);
        internal().get("/internal/submolts/" + name + "/moderators").then()
                .body("data[0].name", equalTo(ownerName)).body("data[0].role", equalTo("owner"))
                .body("data[1].name", equalTo(modName)).body("data[1].role", equalTo("moderator"));
        internal().get("/internal/submolts/no-such-one").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void listingsPageWithCursorsAndOffsetsInEachSort() throws Exception {
        String prefix = "pg" + UUID.randomUUID().toString().substring(0, 4) + "-";
        List<ShoalEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            UUID id = UUID.randomUUID();
            events.add(new SubmoltCreated(id, prefix + i, "P" + i, "", false, null));
            for (int s = 0; s < i; s++) {
                events.add(new SubmoltSubscribed(id, UUID.randomUUID()));
            }
        }
        publish(events.toArray(ShoalEvent[]::new));
        await("/internal/submolts/" + prefix + "6", "submolt.subscriberCount", 6);

        for (String sort : List.of("popular", "new", "alphabetical")) {
            List<String> byCursor = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var req = internal().queryParam("sort", sort).queryParam("limit", 3);
                if (cursor != null) {
                    req = req.queryParam("cursor", cursor);
                }
                Response r = req.get("/internal/submolts");
                r.then().statusCode(200).body("success", equalTo(true)).body("pagination.limit", equalTo(3));
                List<String> names = r.path("data.name");
                byCursor.addAll(names);
                cursor = r.path("pagination.nextCursor");
                assertEquals(cursor != null, (boolean) r.path("pagination.hasMore"));
                pages++;
            } while (cursor != null && pages < 1000);
            List<String> all = internal().queryParam("sort", sort).queryParam("limit", 100).get("/internal/submolts")
                    .path("data.name");
            assertEquals(all, byCursor, sort + ": cursors walk the same order as one big page");
            List<String> second = internal().queryParam("sort", sort).queryParam("limit", 3).queryParam("offset", 3)
                    .get("/internal/submolts").path("data.name");
            assertEquals(all.subList(3, Math.min(6, all.size())), second, sort + ": offset pages too");
        }
        List<String> popular = internal().queryParam("sort", "popular").queryParam("limit", 100)
                .get("/internal/submolts").path("data.name");
        assertTrue(popular.indexOf(prefix + "6") < popular.indexOf(prefix + "5"));
        List<String> alphabetical = internal().queryParam("sort", "alphabetical").queryParam("limit", 100)
                .get("/internal/submolts").path("data.name");
        assertEquals(alphabetical.stream().sorted().toList(), alphabetical);
    }

    @Test
    void badPagingIsA400() {
        internal().queryParam("limit", 0).get("/internal/submolts").then().statusCode(400).body("code", equalTo("VALIDATION_ERROR"));
        internal().queryParam("limit", 101).get("/internal/submolts").then().statusCode(400);
        internal().queryParam("offset", 1001).get("/internal/submolts").then().statusCode(400);
        internal().queryParam("sort", "hottest").get("/internal/submolts").then().statusCode(400);
        internal().queryParam("cursor", "not-a-cursor").get("/internal/submolts").then().statusCode(400);
        internal().queryParam("limit", "ten").get("/internal/submolts").then().statusCode(400);
        String alphabeticalCursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("[\"abc\"]".getBytes());
        internal().queryParam("sort", "popular").queryParam("cursor", alphabeticalCursor).get("/internal/submolts")
                .then().statusCode(400);
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("[\"x\",\"y\"]".getBytes());
        internal().queryParam("sort", "new").queryParam("cursor", forged).get("/internal/submolts").then().statusCode(400);
        internal().queryParam("cursor", alphabeticalCursor).queryParam("offset", 5).get("/internal/submolts")
                .then().statusCode(400);
    }
}
