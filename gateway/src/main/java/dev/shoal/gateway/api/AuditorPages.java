package dev.shoal.gateway.api;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

import dev.shoal.gateway.api.OwnerPages.Human;
import dev.shoal.gateway.api.ServiceClient.Target;

/**
 * The auditors' console (Keycloak role {@code auditor}): who did what, when, across every topic, by actor (an agent
 * id, or {@code human:} and a subject), subject, event type, request id and time range, a page at a time; and the
 * same question as an export that verifies offline ({@code ./services audit verify FILE}). Read-only: an auditor
 * changes nothing. audit-service answers; the gateway vouches for the auditor's subject and role.
 */
@Path("/audit")
@RolesAllowed("auditor")
public class AuditorPages {
    private final ServiceClient services;
    private final ObjectMapper json;

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    public AuditorPages(ServiceClient services, ObjectMapper json) {
        this.services = services;
        this.json = json;
    }

    /** One event as audit-service's index has it. */
    public record AuditedEvent(@JsonProperty("event_id") UUID eventId, String type, String actor, String subject,
                               @JsonProperty("correlation_id") String correlationId, java.time.Instant time,
                               String topic, int partition, long offset) {
    }

    public record AuditedEvents(boolean success, List<AuditedEvent> events,
                                @JsonProperty("next_cursor") String nextCursor) {
    }

    /** The question as the form and the links carry it. */
    public record Question(String actor, String subject, String type, String correlationId, String since,
                           String until) {
        String query() {
            StringBuilder q = new StringBuilder();
            add(q, "actor", actor);
            add(q, "subject", subject);
            add(q, "type", type);
            add(q, "correlation_id", correlationId);
            add(q, "since", since);
            add(q, "until", until);
            return q.toString();
        }

        private static void add(StringBuilder q, String name, String value) {
            if (value != null && !value.isBlank()) {
                q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(Gate.segment(value.strip()));
            }
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance console(Human human, Question question, AuditedEvents events, String next,
                                               String export, String problem);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response console(@QueryParam("actor") String actor, @QueryParam("subject") String subject,
                            @QueryParam("type") String type, @QueryParam("correlation_id") String correlation,
                            @QueryParam("since") String since, @QueryParam("until") String until,
                            @QueryParam("cursor") String cursor) {
        Question q = new Question(actor, subject, type, correlation, since, until);
        String query = q.query();
        ServiceAnswer a = audit("/internal/audit/events?" + query + (cursor == null || cursor.isBlank() ? ""
                : (query.isEmpty() ? "" : "&") + "cursor=" + Gate.segment(cursor)));
        AuditedEvents events = a.status() == 200 ? a.as(AuditedEvents.class) : null;
        String problem = a.status() == 200 ? null : a.body().length == 0 ? "audit-service did not answer"
                : new String(a.body(), java.nio.charset.StandardCharsets.UTF_8);
        String next = events == null || events.nextCursor() == null ? null
                : "/audit?" + (query.isEmpty() ? "" : query + "&") + "cursor=" + Gate.segment(events.nextCursor());
        return Response.status(a.status() == 200 ? 200 : a.status() / 100 == 4 ? a.status() : 502)
                .entity(Templates.console(human(), q, events, next, "/audit/export" + (query.isEmpty() ? "" : "?"
                        + query), problem))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    @GET
    @Path("/events")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response events(@QueryParam("actor") String actor, @QueryParam("subject") String subject,
                           @QueryParam("type") String type, @QueryParam("correlation_id") String correlation,
                           @QueryParam("since") String since, @QueryParam("until") String until,
                           @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        String query = new Question(actor, subject, type, correlation, since, until).query()
                + (cursor == null ? "" : "&cursor=" + Gate.segment(cursor))
                + (limit == null ? "" : "&limit=" + Gate.segment(limit));
        return passOn(call("/internal/audit/events?" + query), MediaType.APPLICATION_JSON);
    }

    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    @Operation(hidden = true)
    public Response export(@QueryParam("actor") String actor, @QueryParam("subject") String subject,
                           @QueryParam("type") String type, @QueryParam("correlation_id") String correlation,
                           @QueryParam("since") String since, @QueryParam("until") String until,
                           @QueryParam("limit") String limit) {
        String query = new Question(actor, subject, type, correlation, since, until).query()
                + (limit == null ? "" : "&limit=" + Gate.segment(limit));
        Response r = call("/internal/audit/export?" + query);
        Response passed = passOn(r, r.getStatus() == 200 ? "application/x-ndjson" : MediaType.APPLICATION_JSON);
        return r.getStatus() == 200 ? Response.fromResponse(passed).header("Content-Disposition",
                "attachment; filename=\"shoal-audit-export.ndjson\"").build() : passed;
    }

    private static Response passOn(Response r, String type) {
        return Response.status(r.getStatus()).entity(r.getEntity()).type(type).header("Cache-Control", "no-store")
                .build();
    }

    private Response call(String pathAndQuery) {
        return services.callAsHuman(Target.AUDIT, "GET", pathAndQuery, null, idToken.getSubject(), "auditor",
                UUID.randomUUID().toString());
    }

    private ServiceAnswer audit(String pathAndQuery) {
        return ServiceAnswer.of(call(pathAndQuery), json);
    }

    private Human human() {
        return Human.of(idToken, identity);
    }
}
