package dev.shoal.gateway.api;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.contract.Moderation.ContentForReview;
import dev.shoal.contract.Moderation.Queue;
import dev.shoal.contract.Moderation.AppealAnswer;
import dev.shoal.contract.Moderation.QueueAction;
import dev.shoal.contract.Moderation.QueueAppeal;
import dev.shoal.contract.Moderation.QueueDecision;
import dev.shoal.contract.Moderation.QueueReport;
import dev.shoal.gateway.api.OwnerPages.Human;
import dev.shoal.gateway.api.ServiceClient.Target;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The human moderators' queue (Keycloak role {@code moderator}): open reports, owners' appeals (grant or deny)
 * and the rules' decisions still in force, oldest first, each with the content (hidden content included) and its evidence, and one-click actions:
 * remove, restore, suspend, lift, require verification challenges, dismiss, each with a reason. The gateway vouches for the moderator's subject and
 * role to moderation-service, which records who decided and why. Every form carries a CSRF token.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("moderator")
public class ModeratorPages {
    private final ServiceClient services;
    private final OwnerForms forms;
    private final ObjectMapper json;

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    public ModeratorPages(ServiceClient services, OwnerForms forms, ObjectMapper json) {
        this.services = services;
        this.forms = forms;
        this.json = json;
    }

    /** A queue entry with the content it is about (null for an agent, or content not known yet). */
    public record ReportItem(QueueReport report, ContentForReview content) {
        public boolean hidden() {
            return content != null && content.hidden();
        }
    }

    public record DecisionItem(QueueDecision decision, ContentForReview content) {
    }

    /** An owner's appeal with the content its decision is about (null for a suspension). */
    public record AppealItem(QueueAppeal appeal, ContentForReview content) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(Human human, String csrf, List<ReportItem> reports,
                                             List<AppealItem> appeals, List<DecisionItem> decisions, String notice);

        static native TemplateInstance problem(Human human, String title, String message, String hint);
    }

    @GET
    @Path("moderate")
    @Operation(hidden = true)
    public Response queue(@jakarta.ws.rs.QueryParam("done") String done) {
        ServiceAnswer a = moderation("GET", "/internal/queue", null);
        if (a.status() != 200) {
            return problem(a, "The queue could not be read");
        }
        Queue queue = a.as(Queue.class);
        List<ReportItem> reports = new ArrayList<>();
        for (QueueReport r : queue.reports()) {
            reports.add(new ReportItem(r, content(r.targetType(), r.targetId())));
        }
        List<AppealItem> appeals = new ArrayList<>();
        for (QueueAppeal p : queue.appeals()) {
            appeals.add(new AppealItem(p, content(p.decision().targetType(), p.decision().targetId())));
        }
        List<DecisionItem> decisions = new ArrayList<>();
        for (QueueDecision d : queue.decisions()) {
            decisions.add(new DecisionItem(d, content(d.targetType(), d.targetId())));
        }
        // Said only for the actions this page offers: the query string is anyone's to write.
        String notice = done != null && List.of("remove", "restore", "downrank", "restore-rank", "suspend", "lift",
                "challenge", "dismiss", "grant", "deny").contains(done) ? "Done: " + done + ". It is in the modlog." : null;
        return page(200, Templates.queue(human(), forms.token(idToken), reports, appeals, decisions, notice));
    }

    @POST
    @Path("moderate/act")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response act(@FormParam("csrf") String csrf, @FormParam("action") String action,
                        @FormParam("report_id") String reportId, @FormParam("target_type") String targetType,
                        @FormParam("target_id") String targetId, @FormParam("agent_id") String agentId,
                        @FormParam("length") String length, @FormParam("reason") String reason) {
        if (!forms.valid(idToken, csrf)) {
            return page(403, Templates.problem(human(), "This form has expired",
                    "The form was not one this session showed you, so nothing was changed.",
                    "Open the queue again and retry."));
        }
        QueueAction body;
        try {
            body = new QueueAction(action, id(reportId), blank(targetType), id(targetId), id(agentId), blank(length),
                    reason);
        } catch (IllegalArgumentException e) {
            return page(400, Templates.problem(human(), "That did not work", "The form named something that is not"
                    + " an id.", "Open the queue again and retry."));
        }
        ServiceAnswer a = moderation("POST", "/internal/queue/actions", body);
        if (a.status() != 200) {
            return problem(a, "That did not work");
        }
        return Response.seeOther(URI.create("/moderate?done=" + Gate.segment(action))).build();
    }

    /** Grants (the decision is undone) or denies an owner's appeal, with a reason the owner reads. */
    @POST
    @Path("moderate/appeals/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response answerAppeal(@PathParam("id") String appealId, @FormParam("csrf") String csrf,
                                 @FormParam("outcome") String outcome, @FormParam("reason") String reason) {
        if (!forms.valid(idToken, csrf)) {
            return page(403, Templates.problem(human(), "This form has expired",
                    "The form was not one this session showed you, so nothing was changed.",
                    "Open the queue again and retry."));
        }
        UUID id;
        try {
            id = UUID.fromString(appealId);
        } catch (IllegalArgumentException e) {
            return page(404, Templates.problem(human(), "No such appeal", "The address names no appeal.",
                    "Open the queue again."));
        }
        ServiceAnswer a = moderation("POST", "/internal/queue/appeals/" + id, new AppealAnswer(outcome, reason));
        if (a.status() != 200) {
            return problem(a, "That did not work");
        }
        return Response.seeOther(URI.create("/moderate?done=" + ("grant".equals(outcome) ? "grant" : "deny")))
                .build();
    }

    private ContentForReview content(String type, UUID id) {
        if (id == null || !("post".equals(type) || "comment".equals(type))) {
            return null;
        }
        Response r = services.call(Target.FEED, "GET", "/internal/review/" + type + "s/" + id, null, null,
                UUID.randomUUID().toString(), null);
        ServiceAnswer a = ServiceAnswer.of(r, json);
        return a.status() == 200 ? a.as(ContentForReview.class) : null;
    }

    private ServiceAnswer moderation(String method, String path, Object body) {
        try {
            byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
            Response r = services.callAsHuman(Target.MODERATION, method, path, bytes, subject(), "moderator",
                    UUID.randomUUID().toString());
            return ServiceAnswer.of(r, json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UUID id(String raw) {
        return raw == null || raw.isBlank() ? null : UUID.fromString(raw.trim());
    }

    private static String blank(String raw) {
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    private Human human() {
        return Human.of(idToken, identity);
    }

    private String subject() {
        String sub = idToken.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new IllegalStateException("a signed-in human without a subject");
        }
        return sub;
    }

    private Response problem(ServiceAnswer a, String title) {
        int status = a.status() >= 400 ? a.status() : 502;
        return page(status, Templates.problem(human(), title, a.field("error"), a.field("hint")));
    }

    /** The queue is a moderator's own: never cached, never sent on as a referrer. */
    private static Response page(int status, TemplateInstance page) {
        return Response.status(status).entity(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
