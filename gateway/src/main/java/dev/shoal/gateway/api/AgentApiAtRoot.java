package dev.shoal.gateway.api;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * Serves the agent API at the root as well as under {@code /api/v1}. Moltbook's official SDK builds every URL as
 * {@code new URL('/agents/me', baseUrl)}, and by the WHATWG URL rules a path that starts with {@code /} replaces the
 * base's whole path: pointed at {@code http://host:8080/api/v1} it calls {@code http://host:8080/agents/me}. A call
 * whose first path segment is one of the agent API's (and only those, so the root stays free for the human pages)
 * is routed, before anything else reads it, exactly as its {@code /api/v1} twin: same authentication, limits and
 * answers. Nothing is redirected: a redirect would drop the {@code Authorization} header in many clients.
 */
@ApplicationScoped
public class AgentApiAtRoot {
    /** The first segments of the agent API (the paths under {@code /api/v1}). */
    static final Set<String> SEGMENTS = Set.of("agents", "posts", "comments", "submolts", "feed", "search", "home",
            "notifications", "health", "verify");
    static final String PREFIX = "/api/v1";

    void route(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            String path = rc.normalizedPath();
            if (isAgentApi(path)) {
                // The normalised path (no .., no absolute-form target), and the query as it came.
                String query = rc.request().query();
                rc.reroute(PREFIX + path + (query == null ? "" : "?" + query));
            } else {
                rc.next();
            }
        });
    }

    /** Whether a root path is one of the agent API's: its first segment is. */
    static boolean isAgentApi(String path) {
        if (path == null || path.length() < 2 || path.startsWith(PREFIX + "/") || path.equals(PREFIX)) {
            return false;
        }
        int end = path.indexOf('/', 1);
        return SEGMENTS.contains(end < 0 ? path.substring(1) : path.substring(1, end));
    }
}
