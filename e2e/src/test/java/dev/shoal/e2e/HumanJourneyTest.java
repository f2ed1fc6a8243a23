package dev.shoal.e2e;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.shoal.e2e.Browser.Page;
import dev.shoal.e2e.LocalStack.Answer;
import dev.shoal.launcher.Stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What humans do, against the real Keycloak through the gateway's sign-in (authorization-code flow with PKCE): an
 * agent registers through the API, its human opens the claim_url, signs in, types the code and owns it; wrong codes,
 * a reused link and forms from elsewhere are refused; another human cannot touch it; its owner rotates its key (the
 * old key is refused at once), revokes it, suspends and releases it. Agents' keys open no owner page and humans'
 * sessions call no agent endpoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HumanJourneyTest {
    static LocalStack local;
    static Stack stack;
    static String gateway;
    static Stack.DemoLogin demo;
    static final String OTHER = "other_human";
    static final String OTHER_PASSWORD = "other-" + java.util.UUID.randomUUID();

    /** The name owners let their agents' profiles show here: personal data, sealed wherever Shoal keeps it. */
    static final String OWNER_SHOWN = "Ada Quillfeather-Marsh";

    /** The agent the demo human claims, and its current key. */
    static String agentName;
    static String agentKey;
    static Browser owner;

    @BeforeAll
    static void up() throws IOException {
        local = LocalStack.up("shoal-humans-", Map.of(Stack.GATEWAY, Map.of(
                "shoal.rate-limit.registrations.requests", "1000"), Stack.POST, Map.of(
                "shoal.limits.new-agent-post-cooldown", "PT0.001S", "shoal.limits.new-agent-comment-cooldown",
                "PT0.001S"),
                // its new agents write without cooldowns: challenging them has its own tests
                Stack.MODERATION, Map.of("shoal.moderation.challenges.new-agent-rate", "0"),
                // its agents are minutes old: the 24 hours before direct messages have their own tests
                Stack.IDENTITY, Map.of("shoal.limits.dm-min-agent-age", "PT0S")), true);
        stack = local.stack;
        gateway = stack.gatewayUrl();
        demo = stack.awaitHumans();
        stack.keycloak().createUser(stack.keycloakAdminPassword(), OTHER, OTHER_PASSWORD, List.of("owner"));
    }

    @AfterAll
    static void down() throws IOException {
        if (local != null) {
            local.close();
        }
    }

    record Registered(String name, String key, String claimUrl, String code) {
    }

    static Registered register(String name) throws Exception {
        Answer a = local.call("POST", "/agents/register", null, "{\"name\":\"" + name + "\",\"description\":\"mine\"}");
        assertEquals(201, a.status(), String.valueOf(a.body()));
        JsonNode agent = a.body().path("agent");
        return new Registered(name, agent.path("api_key").asText(), agent.path("claim_url").asText(),
                agent.path("verification_code").asText());
    }

    static int status(String key) throws Exception {
        return local.call("GET", "/agents/me", key, null).status();
    }

    static Page claim(Browser browser, Page form, String token, String code) throws Exception {
        return browser.post(gateway + "/owner/claim", Map.of("csrf", form.field("csrf"), "token", token,
                "verification_code", code, "owner_name", OWNER_SHOWN));
    }

    static String token(Registered r) {
        return r.claimUrl().substring(r.claimUrl().lastIndexOf('/') + 1);
    }

    @Test
    @Order(1)
    void aHumanSignsInFromTheClaimLinkAndClaimsWithTheCode() throws Exception {
        Registered r = register("claimed_e2e");
        assertTrue(r.claimUrl().startsWith(gateway + "/claim/"), r.claimUrl());
        assertEquals("pending_claim", local.call("GET", "/agents/status", r.key(), null).body().path("status").asText());
        owner = new Browser();
        Page form = owner.signIn(r.claimUrl(), demo.username(), demo.password());
        assertEquals(200, form.status(), form.body());
        assertEquals("/owner/claim", form.uri().getPath());
        assertTrue(form.shows("Claim <span class=\"agent\">claimed_e2e</span>"), form.body());

        Page wrong = claim(owner, form, token(r), "reef-0000");
        assertEquals(403, wrong.status());
        assertTrue(wrong.shows("Wrong verification code"));
        Page forged = owner.post(gateway + "/owner/claim", Map.of("csrf", "forged", "token", token(r),
                "verification_code", r.code()));
        assertEquals(403, forged.status(), "a form this session did not show changes nothing");
        assertEquals("pending_claim", local.call("GET", "/agents/status", r.key(), null).body().path("status").asText());

        Page claimed = claim(owner, form, token(r), r.code().toUpperCase());
        assertEquals(200, claimed.status(), claimed.body());
        assertEquals("/owner/agents", claimed.uri().getPath());
        assertTrue(claimed.shows("You own claimed_e2e now."));
        assertEquals("claimed", local.call("GET", "/agents/status", r.key(), null).body().path("status").asText());
        awaitProfile(r, OWNER_SHOWN);

        Page again = claim(owner, form, token(r), r.code());
        assertEquals(409, again.status(), "a claim link works once");
        Page reopened = owner.get(r.claimUrl());
        assertEquals(409, reopened.status(), "and its page says so");
        assertTrue(reopened.shows("claimed already"));
        agentName = r.name();
        agentKey = r.key();
    }

    /** The profile says claimed and shows the name the owner chose; nothing else of the human. */
    static void awaitProfile(Registered r, String ownerName) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode agent;
        do {
            agent = local.call("GET", "/agents/profile?name=" + r.name(), r.key(), null).body().path("agent");
            if (agent.path("isClaimed").asBoolean()) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertTrue(agent.path("isClaimed").asBoolean(), agent.toString());
        assertEquals(ownerName, agent.path("owner").path("name").asText());
        assertFalse(agent.toString().contains("@"), "no email: " + agent);
    }

    @Test
    @Order(2)
    void wrongCodesAreLimitedPerClaimLink() throws Exception {
        Registered r = register("guessed_e2e");
        Browser guesser = new Browser();
        Page form = guesser.signIn(r.claimUrl(), OTHER, OTHER_PASSWORD);
        for (int i = 0; i < 5; i++) {
            assertEquals(403, claim(guesser, form, token(r), "reef-" + (1000 + i)).status());
        }
        Page limited = claim(guesser, form, token(r), r.code());
        assertEquals(429, limited.status(), "past five wrong codes even the right one waits");
        assertTrue(limited.response().headers().firstValue("Retry-After").isPresent());
        assertEquals("pending_claim", local.call("GET", "/agents/status", r.key(), null).body().path("status").asText());
    }

    @Test
    @Order(3)
    void anotherHumanCannotControlAnAgentTheyDoNotOwn() throws Exception {
        Browser other = new Browser();
        Page theirs = other.signIn(gateway + "/owner/agents", OTHER, OTHER_PASSWORD);
        assertEquals(200, theirs.status());
        assertFalse(theirs.shows(agentName), "someone else's agent is not listed");
        // A form of their own session (a claim form of theirs): the refusal below is the owner rule, not CSRF.
        String csrf = other.get(register("bystander_e2e").claimUrl()).field("csrf");
        assertNotNull(csrf);
        for (String action : List.of("rotate-key", "revoke-key", "suspend", "erase")) {
            Page refused = other.post(gateway + "/owner/agents/" + agentName + "/" + action,
                    Map.of("csrf", csrf, "confirm", "yes"));
            assertEquals(403, refused.status(), action + ": " + refused.body());
            assertFalse(refused.shows("moltbook_shoal_"), "no key is shown to a stranger");
        }
        assertEquals(200, status(agentKey), "the agent's key still works");
    }

    @Test
    @Order(4)
    void theOwnerRotatesAndTheOldKeyIsRefusedAtOnce() throws Exception {
        Page mine = owner.get(gateway + "/owner/agents");
        assertTrue(mine.shows(agentName));
        Page rotated = owner.post(gateway + "/owner/agents/" + agentName + "/rotate-key",
                Map.of("csrf", mine.field("csrf")));
        assertEquals(200, rotated.status(), rotated.body());
        assertEquals("no-store", rotated.response().headers().firstValue("Cache-Control").orElse(null));
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("moltbook_shoal_[A-Za-z0-9_-]+")
                .matcher(rotated.body());
        assertTrue(key.find(), "the new key is shown once");
        String newKey = key.group();
        assertNotEquals(agentKey, newKey);
        assertEquals(401, status(agentKey), "the old key is dead when the page answers");
        assertEquals(200, status(newKey));
        agentKey = newKey;
    }

    @Test
    @Order(5)
    void theOwnerSuspendsReleasesAndRevokes() throws Exception {
        String csrf = owner.get(gateway + "/owner/agents").field("csrf");
        assertEquals(200, owner.post(gateway + "/owner/agents/" + agentName + "/suspend", Map.of("csrf", csrf))
                .status());
        Answer suspended = local.call("GET", "/agents/me", agentKey, null);
        assertEquals(403, suspended.status());
        assertEquals("agent_suspended", suspended.body().path("code").asText());
        assertTrue(owner.get(gateway + "/owner/agents").shows("suspended"));
        assertEquals(200, owner.post(gateway + "/owner/agents/" + agentName + "/release", Map.of("csrf", csrf))
                .status());
        assertEquals(200, status(agentKey), "released: its key works again");
        assertEquals(200, owner.post(gateway + "/owner/agents/" + agentName + "/revoke-key", Map.of("csrf", csrf))
                .status());
        assertEquals(401, status(agentKey), "revoked: refused at once");
        assertTrue(owner.get(gateway + "/owner/agents").shows("no working key"));
    }

    @Test
    @Order(6)
    void agentKeysOpenNoOwnerPageAndSessionsCallNoAgentEndpoint() throws Exception {
        String key = register("keyholder_e2e").key();
        Answer withKey = LocalStack.send(URI.create(gateway + "/owner/agents"), "GET", key, null);
        assertEquals(302, withKey.status(), "an API key is not a sign-in: the owner page sends to Keycloak");
        Answer rotate = LocalStack.send(URI.create(gateway + "/owner/agents/keyholder_e2e/rotate-key"), "POST", key,
                null);
        assertNotEquals(200, rotate.status());
        assertEquals(200, status(key), "and nothing was rotated");

        Page asHuman = owner.get(local.api + "/agents/me");
        assertEquals(401, asHuman.status(), "a human's session is no agent's key");
        Page postAsHuman = owner.post(local.api + "/posts", Map.of("submolt", "general", "title", "t"));
        assertTrue(postAsHuman.status() == 401 || postAsHuman.status() == 415, "refused: " + postAsHuman.status());
    }

    @Test
    @Order(7)
    void ownerPagesAreFramedByNoOneAndRunNoScript() throws Exception {
        Page mine = owner.get(gateway + "/owner/agents");
        String csp = mine.response().headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self';") && !csp.contains("unsafe"), csp);
        assertEquals("no-store", mine.response().headers().firstValue("Cache-Control").orElse(null));
    }

    /** A post and a comment by a fresh agent, through the API; answers the post's id. */
    static String postThroughTheApi(String key, String title, String content) throws Exception {
        Answer post = local.call("POST", "/posts", key, LocalStack.JSON.writeValueAsString(Map.of("submolt", "general",
                "title", title, "content", content)));
        assertEquals(201, post.status(), String.valueOf(post.body()));
        return post.body().at("/post/id").asText();
    }

    @Test
    @Order(9)
    void theFrontPageListsWhatAgentsPostAsTextNeverAsMarkup() throws Exception {
        String key = register("writer_e2e").key();
        String title = "Hello <script>alert('t')</script> humans";
        String content = "<img src=x onerror=alert('c')> and a <b>bold</b> claim";
        String id = postThroughTheApi(key, title, content);
        Answer comment = local.call("POST", "/posts/" + id + "/comments", key,
                "{\"content\":\"<svg onload=alert('r')> first!\"}");
        assertEquals(201, comment.status(), String.valueOf(comment.body()));

        Browser human = new Browser();
        Page front = awaitPage(human, gateway + "/?sort=new", "Hello &lt;script&gt;");
        assertEquals(200, front.status());
        assertTrue(front.response().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(front.body().replace("<script src=\"/static/live.js\" defer></script>", "").indexOf("<script") < 0,
                "no script on the page but Shoal's own file");
        assertTrue(front.shows("href=\"/p/" + id + "\""), "the card links to the post");
        assertTrue(front.shows("data:image/svg+xml;base64,"), "authors have identicons");
        assertTrue(front.shows("just now"), "times are relative");
        String csp = front.response().headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self';")
                && !csp.contains("unsafe"), csp);

        Page post = awaitPage(human, gateway + "/p/" + id, "first!");
        assertTrue(post.shows("&lt;img src=x onerror=alert(&#39;c&#39;)&gt;") || post.shows("&lt;img src=x onerror"),
                post.body());
        assertFalse(post.body().contains("<img src=x"), "content is text, not markup");
        assertFalse(post.body().contains("<svg onload"), "comments are text, not markup");
        assertFalse(post.body().contains("<b>bold</b>"));

        Page profile = human.get(gateway + "/u/writer_e2e");
        assertEquals(200, profile.status());
        assertTrue(profile.shows("u/writer_e2e") && profile.shows("not claimed yet"));
        Page claimedProfile = human.get(gateway + "/u/" + agentName);
        assertTrue(claimedProfile.shows("claimed</span> by") && claimedProfile.shows(OWNER_SHOWN),
                claimedProfile.body());

        Page submolt = human.get(gateway + "/m/general?sort=new");
        assertEquals(200, submolt.status());
        assertTrue(submolt.shows("m/general") && submolt.shows("Hello &lt;script&gt;"));
        assertTrue(submolt.shows("<figure class=\"pulse\"") && submolt.shows("data-pulse=\"posts\""),
                "the submolt has its own pulse");

        // A link post is followed only as user content: no ranking credit, no opener, no referrer.
        Answer link = local.call("POST", "/posts", register("linker_e2e").key(), "{\"submolt\":\"general\","
                + "\"title\":\"A reef survey\",\"url\":\"https://en.wikipedia.org/wiki/Coral_reef?a=1&b=2\"}");
        assertEquals(201, link.status(), String.valueOf(link.body()));
        Page linked = awaitPage(human, gateway + "/?sort=new", "A reef survey");
        assertTrue(linked.shows("<a href=\"https://en.wikipedia.org/wiki/Coral_reef?a=1&amp;b=2\""
                + " rel=\"nofollow ugc noopener noreferrer\">A reef survey</a>"), linked.body());
        Page list = human.get(gateway + "/m");
        assertTrue(list.shows("href=\"/m/general\""));
        Page found = awaitPage(human, gateway + "/find?q=humans", "Hello &lt;script&gt;");
        assertEquals(200, found.status());

        assertEquals(404, human.get(gateway + "/p/" + java.util.UUID.randomUUID()).status());
        assertEquals(404, human.get(gateway + "/m/no_such_submolt").status());
        assertEquals(404, human.get(gateway + "/u/nobody_at_all").status());
    }

    @Test
    @Order(10)
    void anOpenPageHearsNewPostsAndCommentsAsTheyHappen() throws Exception {
        String key = register("live_e2e").key();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        var stream = client.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create(gateway + "/live"))
                        .header("Accept", "text/event-stream").build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        var response = stream.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(500); // the subscription is on before anything is posted

        String id = postThroughTheApi(key, "Live from the reef", "posted while a page watched");
        String post = awaitEvent(lines, "post", "Live from the reef");
        assertTrue(post.contains("\"authorName\":\"live_e2e\"") && post.contains(id), post);
        assertTrue(post.contains("data:image/svg+xml;base64,"), "the card has its identicon");
        assertEquals(201, local.call("POST", "/posts/" + id + "/comments", key, "{\"content\":\"and a reply\"}")
                .status());
        awaitEvent(lines, "comment", id);
        String pulse = awaitEvent(lines, "pulse", "postsLastHour");
        assertFalse(pulse.contains("\"postsLastHour\":0"), "the pulse counted the posts: " + pulse);
        response.body().close();
    }

    /** Polls {@code check} until it holds (20 s at most): the page moves by itself, or a redirect lands. */
    static void until(Chrome chrome, String what, java.util.function.BooleanSupplier check) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                chrome.screenshot("failed-" + what.replaceAll("[^a-z0-9]+", "-"));
                throw new AssertionError("the browser never showed " + what + " at " + chrome.driver.getCurrentUrl());
            }
            Thread.sleep(100);
        }
    }

    static boolean pageShows(Chrome chrome, String text) {
        try {
            return chrome.driver.findElement(org.openqa.selenium.By.tagName("body")).getText().contains(text);
        } catch (org.openqa.selenium.WebDriverException e) {
            return false; // between two pages
        }
    }

    static void signInWithKeycloak(Chrome chrome, String username, String password) throws Exception {
        until(chrome, "Keycloak's sign-in", () -> chrome.driver.getCurrentUrl().contains("/realms/shoal/"));
        chrome.driver.findElement(org.openqa.selenium.By.id("username")).sendKeys(username);
        chrome.driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(password);
        chrome.driver.findElement(org.openqa.selenium.By.id("kc-login")).click();
        until(chrome, "the way back to Shoal", () -> chrome.driver.getCurrentUrl().startsWith(gateway));
    }

    @Test
    @Order(11)
    void inABrowserTheFrontPageListsPostsAndNewOnesArriveWithoutReload() throws Exception {
        String key = register("browser_e2e").key();
        String earlier = postThroughTheApi(register("browser_cards").key(), "On the page before it opened", "x");
        try (Chrome chrome = new Chrome()) {
            until(chrome, "a post made through the API", () -> {
                chrome.open(gateway + "/?sort=new");
                return pageShows(chrome, "Live from the reef") && pageShows(chrome, "On the page before it opened");
            });
            chrome.screenshot("front-page");
            chrome.screenshotAsPhone("front-page-phone");
            Thread.sleep(500); // the page's stream is open
            String id = postThroughTheApi(key, "Arrived while a human watched", "no reload needed");
            until(chrome, "the new post, live", () -> !chrome.driver.findElements(
                    org.openqa.selenium.By.id("post-" + id)).isEmpty());
            assertTrue(pageShows(chrome, "Arrived while a human watched"));
            String banner = chrome.driver.findElement(org.openqa.selenium.By.id("live-banner")).getText();
            assertTrue(banner.startsWith("1 new post"), banner);
            chrome.screenshot("front-page-live");
            // A card that was on the page when it loaded counts its comments live too.
            org.openqa.selenium.By count = org.openqa.selenium.By.cssSelector("#post-" + earlier + " [data-comments]");
            assertEquals("0 comments", chrome.driver.findElement(count).getText());
            assertEquals(201, local.call("POST", "/posts/" + earlier + "/comments", key,
                    "{\"content\":\"Seen live\"}").status());
            until(chrome, "the comment counted live", () -> "1 comment".equals(chrome.driver.findElement(count)
                    .getText()));
            chrome.open(gateway + "/no/such/page");
            until(chrome, "the web view's own 404", () -> pageShows(chrome, "There is no page at this address."));
        }
    }

    @Test
    @Order(12)
    void inABrowserAgentsMarkupShowsAsTextAndRunsNothing() throws Exception {
        String key = register("mischief_e2e").key();
        try (Chrome chrome = new Chrome()) {
            chrome.open(gateway + "/?sort=new");
            Thread.sleep(500);
            String id = postThroughTheApi(key, "<script>window.shoalPwned='title'</script>",
                    "<img src=x onerror=\"window.shoalPwned='content'\">");
            until(chrome, "the post, live", () -> !chrome.driver.findElements(
                    org.openqa.selenium.By.id("post-" + id)).isEmpty());
            assertTrue(pageShows(chrome, "<script>window.shoalPwned='title'</script>"), "the title reads as typed");
            assertEquals(201, local.call("POST", "/posts/" + id + "/comments", key,
                    "{\"content\":\"<svg onload=\\\"window.shoalPwned='comment'\\\"></svg>\"}").status());
            // The post's page is not live: load it again until feed-service has the comment.
            until(chrome, "the comment", () -> {
                chrome.open(gateway + "/p/" + id);
                return pageShows(chrome, "<svg onload=");
            });
            assertTrue(pageShows(chrome, "<img src=x onerror="), "the content reads as typed");
            assertEquals(Boolean.TRUE, chrome.driver.executeScript("return window.shoalPwned === undefined;"),
                    "no agent's text ran");
            assertTrue(chrome.driver.findElements(org.openqa.selenium.By.cssSelector(".content img, .content svg,"
                    + " .title script")).isEmpty(), "no element was made of an agent's text");
            chrome.screenshot("post-with-markup-as-text");
        }
    }

    /** The key of the agent the demo human claims in the browser, which a stranger then tries to rotate. */
    static String browserClaimKey;

    @Test
    @Order(13)
    void inABrowserAHumanClaimsAnAgentAndAReusedLinkIsRefused() throws Exception {
        Registered r = register("browser_claim");
        browserClaimKey = r.key();
        try (Chrome chrome = new Chrome()) {
            chrome.open(r.claimUrl());
            signInWithKeycloak(chrome, demo.username(), demo.password());
            until(chrome, "the claim form", () -> pageShows(chrome, "Claim browser_claim"));
            chrome.screenshot("claim-form");
            var code = chrome.driver.findElement(org.openqa.selenium.By.name("verification_code"));
            code.sendKeys("reef-0000");
            code.submit();
            until(chrome, "the wrong code refused", () -> pageShows(chrome, "Wrong verification code"));
            chrome.screenshot("claim-wrong-code");
            code = chrome.driver.findElement(org.openqa.selenium.By.name("verification_code"));
            code.sendKeys(r.code());
            code.submit();
            until(chrome, "the claim", () -> pageShows(chrome, "You own browser_claim now."));
            chrome.screenshot("my-agents");
            assertEquals("claimed", local.call("GET", "/agents/status", r.key(), null).body().path("status").asText());
            chrome.open(r.claimUrl());
            until(chrome, "the used link refused", () -> pageShows(chrome, "claimed already"));
            chrome.screenshot("claim-link-used");
            // Sign-out is a form (a link elsewhere cannot sign anyone out); after it, owner pages ask for sign-in.
            chrome.open(gateway + "/owner/agents");
            chrome.driver.findElement(org.openqa.selenium.By.cssSelector("form[action='/auth/logout'] button")).click();
            until(chrome, "the signed-out front page", () -> chrome.driver.getCurrentUrl().startsWith(gateway + "/")
                    && pageShows(chrome, "What agents are posting") && pageShows(chrome, "Owners: sign in"));
            chrome.open(gateway + "/owner/agents");
            until(chrome, "Keycloak's sign-in again", () -> chrome.driver.getCurrentUrl().contains("/realms/shoal/"));
        }
    }

    @Test
    @Order(14)
    void inABrowserAnotherHumanCannotRotateOrRevokeAnAgentTheyDoNotOwn() throws Exception {
        Registered bystander = register("bystander_b");
        assertEquals(200, status(browserClaimKey), "the claimed agent's key works before");
        try (Chrome chrome = new Chrome()) {
            chrome.open(bystander.claimUrl());
            signInWithKeycloak(chrome, OTHER, OTHER_PASSWORD);
            until(chrome, "their claim form", () -> pageShows(chrome, "Claim bystander_b"));
            for (String action : List.of("rotate-key", "revoke-key")) {
                // A form of their own session, aimed at the demo human's agent, as a page of theirs could post it.
                chrome.driver.executeScript("var f = document.createElement('form'); f.method = 'post';"
                        + " f.action = '/owner/agents/browser_claim/" + action + "';"
                        + " var c = document.createElement('input'); c.type = 'hidden'; c.name = 'csrf';"
                        + " c.value = document.querySelector('input[name=csrf]').value; f.appendChild(c);"
                        + " document.body.appendChild(f); f.submit();");
                until(chrome, action + " refused", () -> pageShows(chrome, "You do not own this agent"));
                chrome.screenshot("stranger-" + action + "-refused");
                chrome.driver.navigate().back();
                until(chrome, "their claim form again", () -> pageShows(chrome, "Claim bystander_b"));
            }
        }
        Page mine = owner.get(gateway + "/owner/agents");
        assertTrue(mine.shows("browser_claim"), "the demo human still owns it");
        assertNotNull(mine.field("csrf"));
        assertEquals(200, status(browserClaimKey), "neither the rotation nor the revocation happened");
    }

    /**
     * The attempts of a claim link are spent before identity-service is asked: of twenty wrong codes sent at once at
     * most five are tried and the rest get 429 (when attempts were counted only after each answer, all twenty were
     * tried).
     */
    @Test
    @Order(16)
    void parallelGuessesGetNoMoreThanTheLinksAttempts() throws Exception {
        Registered r = register("guessed_at_once");
        Page form = owner.get(r.claimUrl());
        assertEquals(200, form.status());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String guess = "reef-" + (2000 + i);
            answers.add(pool.submit(() -> {
                go.await();
                return claim(owner, form, token(r), guess).status();
            }));
        }
        go.countDown();
        java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
        for (var a : answers) {
            counts.merge(a.get(60, java.util.concurrent.TimeUnit.SECONDS), 1, Integer::sum);
        }
        pool.shutdown();
        int tried = counts.getOrDefault(403, 0);
        assertTrue(tried >= 1 && tried <= 5, "at most the link's five were tried: " + counts);
        assertEquals(20, tried + counts.getOrDefault(429, 0), "the rest waited: " + counts);
        assertEquals("pending_claim", local.call("GET", "/agents/status", r.key(), null).body().path("status").asText());
    }

    /** The data line of the next event named {@code name} that contains {@code text}, within 20 s. */
    static String awaitEvent(java.util.concurrent.BlockingQueue<String> lines, String name, String text)
            throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String event = null;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:") && name.equals(event) && line.contains(text)) {
                return line.substring(5);
            }
        }
        throw new AssertionError("no " + name + " event with " + text + " arrived");
    }

    /** The page once it shows {@code text} (projections are eventually consistent for a reader with no key). */
    static Page awaitPage(Browser browser, String url, String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Page page;
        do {
            page = browser.get(url);
            if (page.shows(text)) {
                return page;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(url + " never showed " + text + ":\n" + page.body());
    }

    /** A claim link is a bearer secret until used: Shoal keeps its keyed hash only, in its tables and on the log. */
    @Test
    @Order(8)
    void claimLinksAreKeptAsHashesOnly() throws Exception {
        Registered r = register("hashed_link");
        String token = token(r);
        try (java.sql.Connection c = stack.superuser(Stack.IDENTITY); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE a.name = 'hashed_link'),"
                     + " count(*) FILTER (WHERE a.claim_token_hash = '" + token + "' OR a::text LIKE '%" + token
                     + "%'), (SELECT count(*) FROM outbox WHERE convert_from(data, 'UTF8') LIKE '%" + token + "%')"
                     + " FROM agent a")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getLong(1), "the agent is there");
            assertEquals(0, rs.getLong(2), "no row holds the link's token");
            assertEquals(0, rs.getLong(3), "no event holds it");
        }
    }

    @Test
    @Order(8)
    void noEventCarriesTheHumansEmail() throws Exception {
        try (java.sql.Connection c = stack.superuser(Stack.IDENTITY); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE type = 'shoal.agent.claimed.v2'),"
                     + " count(*) FILTER (WHERE convert_from(data, 'UTF8') LIKE '%@%') FROM outbox")) {
            assertTrue(rs.next());
            assertTrue(rs.getLong(1) >= 1, "the claim is an event");
            assertEquals(0, rs.getLong(2), "no event holds an email (the realm has the demo human's)");
        }
        assertNotNull(demo.issuer());
        // the name the owner lets the profile show is sealed under the agent's key: no topic, table or log has it
        local.awaitPublished(Stack.IDENTITY);
        local.assertNowhereInClear("the owner's name", agentName,
                OWNER_SHOWN.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * An agent reports a post; a human without the moderator role cannot open the queue; a moderator sees the report
     * with the post, removes it with a reason, and the post leaves the feeds while the modlog names the role.
     */
    @Test
    @Order(17)
    void moderatorsWorkTheQueueAndNobodyElseOpensIt() throws Exception {
        Registered author = register("queued_author");
        Registered reporter = register("queued_reporter");
        Answer post = local.call("POST", "/posts", author.key(), "{\"submolt\":\"general\",\"title\":\"A rude"
                + " post\",\"content\":\"you are all rude\"}");
        assertEquals(201, post.status(), String.valueOf(post.body()));
        String id = post.body().at("/post/id").asText();
        Answer report;
        long deadline = System.nanoTime() + 10_000_000_000L;
        do { // moderation-service learns the post from the log
            report = local.call("POST", "/posts/" + id + "/report", reporter.key(), "{\"reason\":\"harassment\","
                    + "\"note\":\"rude to everyone\"}");
            if (report.status() == 404) {
                Thread.sleep(100);
            }
        } while (report.status() == 404 && System.nanoTime() < deadline);
        assertEquals(201, report.status(), String.valueOf(report.body()));
        String reportId = report.body().path("report_id").asText();

        Page denied = new Browser().signIn(gateway + "/moderate", OTHER, OTHER_PASSWORD);
        assertEquals(403, denied.status(), "an owner is no moderator");

        Browser moderator = new Browser();
        Page queue = moderator.signIn(gateway + "/moderate", demo.username(), demo.password());
        assertEquals(200, queue.status(), queue.body());
        assertTrue(queue.shows("A rude post") && queue.shows("rude to everyone") && queue.shows("queued_author"),
                queue.body());
        Map<String, String> remove = new java.util.HashMap<>(Map.of("action", "remove", "report_id", reportId,
                "target_type", "post", "target_id", id, "reason", "harassment"));
        remove.put("csrf", "forged");
        assertEquals(403, moderator.post(gateway + "/moderate/act", remove).status(), "a forged form does nothing");
        remove.put("csrf", queue.field("csrf"));
        remove.put("reason", "");
        assertEquals(400, moderator.post(gateway + "/moderate/act", remove).status(), "a reason is required");
        remove.put("reason", "harassment");
        Page done = moderator.post(gateway + "/moderate/act", remove);
        assertEquals(200, done.status(), done.body());
        assertTrue(done.shows("Done: remove"), done.body());
        assertFalse(done.shows("rude to everyone"), "the report left the queue");
        deadline = System.nanoTime() + 10_000_000_000L;
        while (local.call("GET", "/posts/" + id, reporter.key(), null).status() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(404, local.call("GET", "/posts/" + id, reporter.key(), null).status());
        JsonNode log = local.call("GET", "/modlog?limit=100", reporter.key(), null).body();
        boolean named = false;
        for (JsonNode e : log.path("data")) {
            named |= id.equals(e.path("target_id").asText()) && "moderator".equals(e.path("moderator").asText());
        }
        assertTrue(named, "the modlog names the moderator role: " + log);
    }

    /**
     * A moderator suspends an agent; its owner reads why on their page and appeals, saying why; another human cannot
     * appeal it; the moderator grants the appeal from the queue, the agent writes again, and the owner reads the answer.
     */
    @Test
    @Order(18)
    void anOwnerAppealsASuspensionAndAModeratorGrantsIt() throws Exception {
        Registered r = register("appealing_agent");
        // An owner of its own: the other human spent its wrong-code attempts in the tests before.
        Browser other = claimedByANewOwner(r, "appealing_owner");
        String agentId = local.call("GET", "/agents/me", r.key(), null).body().at("/agent/id").asText();

        Registered reporter = register("appeal_reporter");
        Answer report;
        long deadline = System.nanoTime() + 10_000_000_000L;
        do { // moderation-service learns the agent from the log
            report = local.call("POST", "/agents/appealing_agent/report", reporter.key(), "{\"reason\":\"spam\"}");
            if (report.status() == 404) {
                Thread.sleep(100);
            }
        } while (report.status() == 404 && System.nanoTime() < deadline);
        assertEquals(201, report.status(), String.valueOf(report.body()));

        Browser moderator = new Browser();
        Page queue = moderator.signIn(gateway + "/moderate", demo.username(), demo.password());
        String csrf = queue.field("csrf");
        Page suspended = moderator.post(gateway + "/moderate/act", Map.of("csrf", csrf, "action", "suspend",
                "report_id", report.body().path("report_id").asText(), "agent_id", agentId, "length", "P7D",
                "reason", "flooding the general submolt"));
        assertEquals(200, suspended.status(), suspended.body());
        String patch = "{\"description\":\"back again\"}";
        deadline = System.nanoTime() + 10_000_000_000L;
        while (local.call("PATCH", "/agents/me", r.key(), patch).status() != 403 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(403, local.call("PATCH", "/agents/me", r.key(), patch).status(), "suspended");

        Page mine = awaitPage(other, gateway + "/owner/agents", "flooding the general submolt");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"decision_id\" value=\"([0-9a-f-]{36})\"")
                .matcher(mine.body());
        assertTrue(m.find(), "an appeal form: " + mine.body());
        String decision = m.group(1);
        Map<String, String> appeal = new java.util.HashMap<>(Map.of("csrf", mine.field("csrf"), "decision_id",
                decision, "statement", "It answered questions in one thread"));

        Page notTheirs = moderator.post(gateway + "/owner/appeals", Map.of("csrf", csrf, "decision_id", decision,
                "statement", "not my agent"));
        assertEquals(403, notTheirs.status(), "only the owner appeals: " + notTheirs.body());
        appeal.put("csrf", "forged");
        assertEquals(403, other.post(gateway + "/owner/appeals", appeal).status(), "a forged form does nothing");
        appeal.put("csrf", mine.field("csrf"));
        Page filed = other.post(gateway + "/owner/appeals", appeal);
        assertEquals(200, filed.status(), filed.body());
        assertTrue(filed.shows("Appealed: a moderator will answer here.") && filed.shows("You appealed"), filed.body());
        assertEquals(409, other.post(gateway + "/owner/appeals", appeal).status(), "once per decision");

        queue = moderator.get(gateway + "/moderate");
        assertTrue(queue.shows("It answered questions in one thread"), queue.body());
        m = java.util.regex.Pattern.compile("action=\"/moderate/appeals/([0-9a-f-]{36})\"").matcher(queue.body());
        assertTrue(m.find(), queue.body());
        String appealPath = gateway + "/moderate/appeals/" + m.group(1);
        assertEquals(403, other.post(appealPath, Map.of("csrf", mine.field("csrf"), "outcome", "grant", "reason",
                "mine")).status(), "an owner is no moderator");
        Page granted = moderator.post(appealPath, Map.of("csrf", queue.field("csrf"), "outcome", "grant", "reason",
                "one long thread, not a flood"));
        assertEquals(200, granted.status(), granted.body());
        assertTrue(granted.shows("Done: grant"), granted.body());

        deadline = System.nanoTime() + 10_000_000_000L;
        while (local.call("PATCH", "/agents/me", r.key(), patch).status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(200, local.call("PATCH", "/agents/me", r.key(), patch).status(), "it writes again");
        Page answered = awaitPage(other, gateway + "/owner/agents", "one long thread, not a flood");
        assertTrue(answered.shows("Appeal granted") && answered.shows("no longer in force"), answered.body());
    }

    /** A new human with the owner role, signed in through the agent's claim link, who claimed it. */
    static Browser claimedByANewOwner(Registered r, String username) throws Exception {
        String password = username + "-" + java.util.UUID.randomUUID();
        stack.keycloak().createUser(stack.keycloakAdminPassword(), username, password, List.of("owner"));
        Browser browser = new Browser();
        Page form = browser.signIn(r.claimUrl(), username, password);
        assertEquals(200, claim(browser, form, token(r), r.code()).status());
        return browser;
    }

    /** An owner deletes their agent for good: only with the box ticked; its key dies when the page answers. */
    @Test
    @Order(19)
    void anOwnerDeletesTheirAgentForGood() throws Exception {
        Registered r = register("leaving_agent");
        Browser leaving = claimedByANewOwner(r, "leaving_owner");
        awaitProfile(r, OWNER_SHOWN);
        String csrf = leaving.get(gateway + "/owner/agents").field("csrf");
        assertEquals(200, leaving.post(gateway + "/owner/agents/leaving_agent/erase", Map.of("csrf", csrf)).status());
        assertEquals(200, status(r.key()), "without the box ticked nothing is deleted");
        Page done = leaving.post(gateway + "/owner/agents/leaving_agent/erase", Map.of("csrf", csrf, "confirm", "yes"));
        assertEquals(200, done.status(), done.body());
        assertEquals(401, status(r.key()), "its key is dead when the page answers");
        assertTrue(leaving.get(gateway + "/owner/agents").shows("erased"));
        Page again = leaving.post(gateway + "/owner/agents/leaving_agent/rotate-key", Map.of("csrf", csrf));
        assertEquals(410, again.status(), "an erased agent gets no new key");
        assertEquals(410, leaving.get(gateway + "/owner/agents/leaving_agent/messages").status(),
                "nor are its conversations shown");
        // the owner's name went with the agent's key: its profile shows no owner, and the name is nowhere to open
        String watcher = register("erasure_watcher").key();
        JsonNode profile = local.call("GET", "/agents/profile?name=leaving_agent", watcher, null).body().path("agent");
        assertTrue(profile.path("owner").isNull(), profile.toString());
        assertFalse(leaving.get(gateway + "/u/leaving_agent").shows(OWNER_SHOWN));
        try (java.sql.Connection c = stack.superuser(Stack.IDENTITY); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE k.wrapped IS NOT NULL),"
                     + " count(a.owner_name_ciphertext) FROM agent a LEFT JOIN data_key k ON k.agent_id = a.id"
                     + " WHERE a.name = 'leaving_agent'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getLong(1), "every key of the agent is destroyed");
            assertEquals(0, rs.getLong(2), "and its row keeps no sealed name");
        }
    }

    /** An owner watches their agent's private conversations, read-only; nobody else's owner sees them. */
    @Test
    @Order(20)
    void anOwnerWatchesTheirAgentsPrivateMessagesAndNobodyElseDoes() throws Exception {
        Registered watched = register("watched_agent");
        Registered talker = register("talker_agent");
        Browser watching = claimedByANewOwner(watched, "watching_owner");

        Answer asked = local.call("POST", "/agents/dm/request", talker.key(),
                "{\"to\":\"watched_agent\",\"message\":\"May we compare notes on tides?\"}");
        assertEquals(201, asked.status(), String.valueOf(asked.body()));
        String conversation = asked.body().path("conversation_id").asText();
        assertEquals(200, local.call("POST", "/agents/dm/requests/" + conversation + "/approve", watched.key(), null)
                .status());
        assertEquals(201, local.call("POST", "/agents/dm/conversations/" + conversation + "/send", talker.key(),
                "{\"message\":\"Could your human confirm <b>Tuesday</b>?\",\"needs_human_input\":true}").status());

        Page list = watching.get(gateway + "/owner/agents/watched_agent/messages");
        assertEquals(200, list.status(), list.body());
        assertTrue(list.shows("talker_agent"));
        Page talk = watching.get(gateway + "/owner/agents/watched_agent/messages/" + conversation);
        assertEquals(200, talk.status(), talk.body());
        assertTrue(talk.shows("May we compare notes on tides?"));
        assertTrue(talk.shows("needs human input"));
        assertTrue(talk.body().contains("&lt;b&gt;Tuesday&lt;/b&gt;"), "an agent's text shows as text");
        assertFalse(talk.body().contains("/send") || talk.body().contains("<textarea"), "a human watches, never speaks");
        assertEquals(2, local.call("GET", "/agents/dm/check", watched.key(), null).body()
                .at("/messages/total_unread").asInt(), "the owner's reading marks nothing read for the agent");

        Browser stranger = new Browser();
        Page theirs = stranger.signIn(gateway + "/owner/agents/watched_agent/messages", OTHER, OTHER_PASSWORD);
        assertEquals(403, theirs.status(), theirs.body());
        assertFalse(theirs.shows("talker_agent"));
        Page one = stranger.get(gateway + "/owner/agents/watched_agent/messages/" + conversation);
        assertEquals(403, one.status());
        assertFalse(one.shows("tides"));
    }

    /**
     * Auditors: a human without the {@code auditor} role cannot open the console or its API (403), an agent's key is no
     * session for it; an auditor asks who claimed which agent, follows one request, and exports what verifies
     * offline with the key published at the well-known path, which anyone may fetch.
     */
    @Test
    @Order(21)
    void auditorsAskWhoDidWhatAndNobodyElseDoes() throws Exception {
        Page denied = new Browser().signIn(gateway + "/audit", OTHER, OTHER_PASSWORD);
        assertEquals(403, denied.status(), "an owner is no auditor");
        assertNotEquals(200, LocalStack.send(java.net.URI.create(gateway + "/audit/events"), "GET", agentKey, null)
                .status(), "an agent's key opens nothing here");

        String auditorPassword = "auditor-" + java.util.UUID.randomUUID();
        stack.keycloak().createUser(stack.keycloakAdminPassword(), "audit_human", auditorPassword,
                List.of("auditor"));
        Browser auditor = new Browser();
        Page console = auditor.signIn(gateway + "/audit?type=shoal.agent.claimed.v2", "audit_human",
                auditorPassword);
        assertEquals(200, console.status(), console.body());
        assertTrue(console.shows("shoal.agent.claimed.v2") && console.shows("human:"), console.body());

        JsonNode claims = LocalStack.JSON.readTree(auditor.get(gateway + "/audit/events?type=shoal.agent.claimed.v2").body());
        assertTrue(claims.path("events").size() >= 1, claims.toString());
        JsonNode claim = claims.path("events").get(0);
        assertTrue(claim.path("actor").asText().startsWith("human:"), "a claim's actor is the human who claimed");
        String request = claim.path("correlation_id").asText();
        JsonNode oneRequest = LocalStack.JSON.readTree(auditor.get(gateway + "/audit/events?correlation_id=" + request).body());
        for (JsonNode e : oneRequest.path("events")) {
            assertEquals(request, e.path("correlation_id").asText(), "one request, followed across the log");
        }
        assertEquals(400, auditor.get(gateway + "/audit/events?since=yesterday").status());

        String pem = LocalStack.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway
                        + "/.well-known/shoal-audit-key")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        java.security.PublicKey key = dev.shoal.events.audit.Checkpoint.publicKey(pem);
        Page export = auditor.get(gateway + "/audit/export?type=shoal.agent.claimed.v2");
        assertEquals(200, export.status(), export.body());
        List<String> lines = export.body().lines().toList();
        assertTrue(lines.size() > 1, export.body());
        assertEquals(List.of(), dev.shoal.events.audit.AuditExport.verify(key, lines));
        assertFalse(export.body().contains(OWNER_SHOWN), "owners' names stay sealed in an export");
    }
}
