package dev.shoal.gateway.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.gateway.api.ServiceClient.Target;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.OperatorRoute;

/**
 * Where the gateway sends each service's calls, and the move a deploy makes ({@code ./services deploy}): a new build
 * started beside the running one gets the traffic once it answers ready. Only the operator's token moves them.
 */
@OperatorRoute
@Path("/internal/routes")
@Produces(MediaType.APPLICATION_JSON)
public class RouteResource {
    /** @param routes each service's base URL, by its name ({@code identity}, {@code post}, {@code feed}) */
    public record Routes(boolean success, Map<String, String> routes) {
    }

    public record Move(String url) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServiceClient services;
    private final java.util.List<String> hosts;
    /** Each service's configured port: calls may move to it or to its twin, 100 above or below (a deploy's other). */
    private final Map<Target, Integer> ports = new java.util.EnumMap<>(Target.class);

    public RouteResource(ServiceClient services, GatewayConfig.Services config) {
        this.services = services;
        this.hosts = config.routeHosts();
        ports.put(Target.IDENTITY, URI.create(config.identityUrl()).getPort());
        ports.put(Target.POST, URI.create(config.postUrl()).getPort());
        ports.put(Target.FEED, URI.create(config.feedUrl()).getPort());
        ports.put(Target.MODERATION, URI.create(config.moderationUrl()).getPort());
        ports.put(Target.AUDIT, URI.create(config.auditUrl()).getPort());
    }

    @GET
    public Routes routes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Target t : Target.values()) {
            out.put(t.name().toLowerCase(Locale.ROOT), services.route(t));
        }
        return new Routes(true, out);
    }

    /** Moves a service's calls to {@code url}, which must answer ready first; nothing moves otherwise. */
    @PUT
    @Path("/{service}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Routes move(@PathParam("service") String service, Move move) {
        Target target;
        try {
            target = Target.valueOf(service.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No service named " + service, "Name identity, post, feed or moderation");
        }
        URI url = baseUrl(move == null ? null : move.url());
        int port = ports.get(target);
        if (!hosts.contains(url.getHost()) || Math.abs(url.getPort() - port) % 100 != 0
                || Math.abs(url.getPort() - port) > 100) {
            // The gateway hands its gateway token and every agent's call to what it routes to.
            throw ApiException.forbidden("Calls to " + service + " may not go to " + url,
                    "Route to one of shoal.services.route-hosts (" + String.join(", ", hosts) + ") on port " + port
                            + " or its twin (" + (port - 100) + ", " + (port + 100) + ")");
        }
        if (!ready(url)) {
            throw ApiException.conflict(url + " does not answer ready", "Move the traffic once the new build is ready");
        }
        services.moveTo(target, url.toString());
        return routes();
    }

    /** An http base URL with a host and a port and nothing else, or a 400. */
    private static URI baseUrl(String url) {
        URI u;
        try {
            u = url == null ? null : new URI(url);
        } catch (java.net.URISyntaxException e) {
            u = null;
        }
        if (u == null || !"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1
                || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null
                || u.getRawUserInfo() != null || u.getRawFragment() != null) {
            throw ApiException.badRequest("Not a service's base URL: " + url,
                    "Give http://host:port, without a path, like http://127.0.0.1:8182");
        }
        return u;
    }

    private static boolean ready(URI base) {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
