package dev.shoal.gateway.api;

import jakarta.enterprise.event.Observes;


import io.vertx.ext.web.Router;

/**
 * Refuses a declared body over the limit before anything reads it, with Shoal's error body. (Bodies without a
 * declared length are cut off at the same size by {@code quarkus.http.limits.max-body-size}.)
 */
public class BodyLimit {
    void install(@Observes Router router, GatewayConfig.Body body) {
        long maxBytes = body.maxBytes();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long declared;
            try {
                declared = length == null ? 0 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > maxBytes) {
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end("{\"success\":false,\"error\":\"Request body too large\",\"code\":\"BAD_REQUEST\","
                                + "\"hint\":\"Bodies are limited to 1 MB\"}");
                return;
            }
            ctx.next();
        });
    }
}
