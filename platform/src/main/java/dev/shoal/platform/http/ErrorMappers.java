package dev.shoal.platform.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.shoal.contract.ApiError;
import dev.shoal.platform.decide.Refused;

/**
 * Turns every failure into Shoal's error body: refusals keep their status, unreadable bodies are 400, a database
 * that cannot be reached is a 503 with {@code Retry-After}, and anything unexpected is a logged 500 that reveals
 * nothing of the inside.
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    public static Response response(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        Response.ResponseBuilder b = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
        if (e.retryAfterSeconds() != null) {
            b.header("Retry-After", e.retryAfterSeconds());
        }
        return b.build();
    }

    /** A domain's refusal, mapped where every refusal is: {@link ApiException#of}. */
    @ServerExceptionMapper
    public Response refused(Refused e) {
        return refused(ApiException.of(e.refusal()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unreadableJson(JsonProcessingException e) {
        return response(400, ApiError.of("BAD_REQUEST", "The request body is not valid JSON for this call",
                "Send a JSON object with the documented fields"));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getResponse().hasEntity()) {
            return e.getResponse(); // already in Shoal's format (a 429 with its headers, say)
        }
        if (e.getCause() instanceof JsonProcessingException j) {
            return unreadableJson(j);
        }
        return response(status, switch (status) {
            case 400 -> ApiError.of("BAD_REQUEST", "Bad request", "Check the request's parameters and body");
            case 401 -> ApiError.of("UNAUTHORIZED", "Authentication required", "Send Authorization: Bearer <api_key>");
            case 403 -> ApiError.of("FORBIDDEN", "Not allowed", "This caller may not do that");
            case 404 -> ApiError.of("NOT_FOUND", "No such endpoint or resource", "Check the path against the API");
            case 405 -> ApiError.of("BAD_REQUEST", "Method not allowed on this path", "Check the HTTP method");
            case 413 -> ApiError.of("BAD_REQUEST", "Request body too large", "Bodies are limited to 1 MB");
            case 415 -> ApiError.of("BAD_REQUEST", "Unsupported content type", "Send Content-Type: application/json");
            default -> status >= 500
                    ? ApiError.of("INTERNAL_ERROR", "Something went wrong on our side", "Try again later")
                    : ApiError.of("BAD_REQUEST", "The request was refused", "Check the request");
        });
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (dependencyDown(e)) {
            // Not a bug and not the caller's fault: PostgreSQL (or the path to it) is away. The caller learns when to
            // try again instead of reading a 500.
            LOG.warnf("a dependency is unavailable: %s", rootCause(e).toString());
            return Response.status(503).header("Retry-After", DEPENDENCY_RETRY_SECONDS)
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.retryAfter("SERVICE_UNAVAILABLE",
                            "A service Shoal depends on is unavailable",
                            "Try again shortly; a write cut off mid-commit may have been applied, so read before"
                                    + " repeating one", DEPENDENCY_RETRY_SECONDS, null)).build();
        }
        LOG.error("unexpected failure", e);
        return response(500, ApiError.of("INTERNAL_ERROR", "Something went wrong on our side", "Try again later"));
    }

    static final long DEPENDENCY_RETRY_SECONDS = 5;

    /**
     * Whether a failure is the database being unreachable or unable to serve: a connection that cannot be made or
     * was lost (SQLState class 08, JDBC's transient and recoverable exceptions, a refused or reset socket, the
     * reactive client's closed connection), or a server shutting down or out of resources (57P, 53).
     */
    static boolean dependencyDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException || t instanceof java.net.ConnectException
                    || t instanceof java.net.SocketException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            String state = t instanceof java.sql.SQLException s ? s.getSQLState() : reactiveSqlState(t);
            if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"))) {
                return true;
            }
            String name = t.getClass().getSimpleName();
            if (name.equals("ClosedConnectionException") || name.equals("ConnectTimeoutException")
                    || name.equals("AcquisitionTimeoutException")
                    || (t.getMessage() != null && t.getMessage().contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }

    /** The SQLState of the reactive PostgreSQL client's {@code PgException}, which is no {@code SQLException}. */
    private static String reactiveSqlState(Throwable t) {
        if (!t.getClass().getSimpleName().equals("PgException")) {
            return null;
        }
        try {
            return (String) t.getClass().getMethod("getSqlState").invoke(t);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
