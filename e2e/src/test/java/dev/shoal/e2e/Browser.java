package dev.shoal.e2e;

import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A human's browser without the rendering: cookies kept per host, redirects followed (a POST answered with 302 or
 * 303 goes on as a GET, as browsers do), forms posted as browsers post them. Enough to sign in to Keycloak through
 * the gateway's authorization-code flow and use the owner pages exactly as a person would, with no test hook.
 */
final class Browser {
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");

    record Page(int status, URI uri, String body, HttpResponse<String> response) {
        /** The value of the first hidden or text input named {@code name}. */
        String field(String name) {
            Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\"[^>]*value=\"([^\"]*)\"").matcher(body);
            return m.find() ? unescape(m.group(1)) : null;
        }

        boolean shows(String text) {
            return body.contains(text);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new LoopbackCookies())
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();

    Page get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    Page post(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded"));
    }

    /** Opens {@code url}, which must send the browser to Keycloak's sign-in, and signs in; answers where it lands. */
    Page signIn(String url, String username, String password) throws Exception {
        Page login = get(url);
        assertTrue(login.uri().getPath().contains("/realms/shoal/"), "sent to Keycloak to sign in: " + login.uri());
        Matcher action = FORM_ACTION.matcher(login.body());
        assertTrue(action.find(), "Keycloak's login page has a form");
        return post(unescape(action.group(1)), Map.of("username", username, "password", password,
                "credentialId", ""));
    }

    private Page send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Page(r.statusCode(), r.uri(), r.body(), r);
    }

    /**
     * Cookies per host, as a browser keeps them for loopback addresses: there {@code Secure} cookies go over plain
     * HTTP too (browsers count 127.0.0.1 a secure context; the JDK's cookie manager does not, and Keycloak marks its
     * sign-in cookies Secure). Paths and expiry beyond deletion are not needed here.
     */
    static final class LoopbackCookies extends CookieHandler {
        private final Map<String, Map<String, String>> byHost = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
            Map<String, String> jar = byHost.getOrDefault(uri.getHost(), Map.of());
            if (jar.isEmpty()) {
                return Map.of();
            }
            return Map.of("Cookie", List.of(jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) {
            Map<String, String> jar = byHost.computeIfAbsent(uri.getHost(), h -> new ConcurrentHashMap<>());
            headers.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String v : values) {
                        String pair = v.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            continue;
                        }
                        String cookie = pair.substring(0, eq).trim();
                        String value = pair.substring(eq + 1).trim();
                        String lower = v.toLowerCase(java.util.Locale.ROOT);
                        if (value.isEmpty() || lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")
                                || lower.contains("expires=thu, 01-jan-1970")) {
                            jar.remove(cookie);
                        } else {
                            jar.put(cookie, value);
                        }
                    }
                }
            });
        }
    }

    static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">");
    }
}
