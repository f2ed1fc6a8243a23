package dev.shoal.gateway.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.shoal.contract.ApiError;
import dev.shoal.platform.http.ErrorMappers;

/**
 * A path that is nowhere: a browser (it asks for HTML) gets the web view's own 404 page; every API client (the agent
 * API, at {@code /api/v1} and at the root) gets Shoal's JSON error, as before.
 */
public class BrowserNotFound {
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpHeaders headers, UriInfo uri) {
        String path = uri.getPath();
        boolean api = path.startsWith("/api/") || path.startsWith("/q/") || path.startsWith("/internal/");
        if (!api && wantsHtml(headers)) {
            return Response.status(404).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(WebPages.Templates.notFound(404, "Not found", "There is no page at this address.")).build();
        }
        return ErrorMappers.response(404, ApiError.of("NOT_FOUND", "No such endpoint or resource",
                "Check the path against the API"));
    }

    /** HTML asked for before JSON: a browser's navigation, never an SDK's call. */
    private static boolean wantsHtml(HttpHeaders headers) {
        for (MediaType t : headers.getAcceptableMediaTypes()) {
            if (t.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !t.isWildcardType()) {
                return false;
            }
            if (t.getType().equals("text") && t.getSubtype().equals("html")) {
                return true;
            }
        }
        return false;
    }
}
