package dev.shoal.gateway.api;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.contract.Moderation.AppealRequest;
import dev.shoal.contract.Moderation.OwnerDecision;
import dev.shoal.contract.Moderation.OwnerDecisions;
import dev.shoal.contract.Owners.ClaimPage;
import dev.shoal.contract.Owners.ClaimRequest;
import dev.shoal.contract.Owners.OwnedAgent;
import dev.shoal.contract.Owners.OwnedAgents;
import dev.shoal.contract.Owners.OwnerRevoked;
import dev.shoal.contract.Owners.OwnerRotated;
import dev.shoal.contract.Owners.Suspension;
import dev.shoal.gateway.api.ServiceClient.Target;
import dev.shoal.gateway.domain.RateLimiter;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The owners' pages: claim an agent with the code it was given, see the agents you own, rotate or revoke an agent's
 * key, suspend or release it. Every page but the claim link's first hop is behind sign-in (OpenID Connect against
 * Keycloak, the {@code owner} role; see application.properties); every form carries a CSRF token. The gateway
 * vouches for the signed-in human's subject to identity-service, which decides who owns what. An agent's API key
 * opens none of this: these pages know humans only.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("owner")
public class OwnerPages {
    /** What a key change waits for, beyond which the page says so rather than pretend. */
    private final Duration issueWait;
    private final ServiceClient services;
    private final Authenticator authenticator;
    private final RateLimits limits;
    private final OwnerForms forms;
    private final ObjectMapper json;

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    public OwnerPages(ServiceClient services, Authenticator authenticator, RateLimits limits, OwnerForms forms,
                      ObjectMapper json, GatewayConfig.ApiKeys keys) {
        this.forms = forms;
        this.services = services;
        this.authenticator = authenticator;
        this.limits = limits;
        this.json = json;
        this.issueWait = keys.issueWait();
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance claim(Human human, String csrf, ClaimPage agent, String token,
                                             String ownerName, String error);

        static native TemplateInstance agents(Human human, String csrf, List<Owned> agents, boolean moderationKnown,
                                              String notice);

        static native TemplateInstance newKey(Human human, String agent, String apiKey, boolean oldKeyDead);

        static native TemplateInstance problem(Human human, String title, String message, String hint);

        static native TemplateInstance messages(Human human, String agent,
                                                List<dev.shoal.contract.DirectMessages.ConversationSummary> conversations);

        static native TemplateInstance conversation(Human human, String agent,
                                                    dev.shoal.contract.DirectMessages.ConversationRead conversation);
    }

    /**
     * An owned agent, with moderation's decisions about it that are in force or were appealed (its owner appeals
     * them from here).
     */
    public record Owned(OwnedAgent agent, List<OwnerDecision> decisions) {
    }

    /** The signed-in human, as the pages greet them, and whether they may open the moderators' queue. */
    public record Human(String name, boolean moderator, boolean auditor) {
        /** The signed-in human as the pages show them: their chosen name, and which of Shoal's roles they hold. */
        static Human of(JsonWebToken idToken, io.quarkus.security.identity.SecurityIdentity identity) {
            String name = idToken.getClaim("preferred_username");
            return new Human(name != null ? name : identity.getPrincipal().getName(), identity.hasRole("moderator"),
                    identity.hasRole("auditor"));
        }
    }

    /**
     * The {@code claim_url} an agent was given: the claim form, behind sign-in. A redirect, so the form lives at one
     * fixed path (its CSRF token is made there) and the link's token travels as a query parameter.
     */
    @GET
    @Path("claim/{token}")
    @Operation(hidden = true)
    @PermitAll
    public Response claimLink(@PathParam("token") String token) {
        return Response.seeOther(URI.create("/owner/claim?token=" + Gate.segment(token)))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    @GET
    @Path("owner/claim")
    @Operation(hidden = true)
    public Response claimForm(@QueryParam("token") String token) {
        ServiceAnswer a = call("GET", "/internal/owners/claims/" + Gate.segment(token == null ? "" : token), null);
        if (a.status() != 200) {
            return problem(a, "This claim link does not work");
        }
        ClaimPage agent = a.as(ClaimPage.class);
        // No owner name is offered by default: showing one on the public profile is the human's choice to make.
        return page(200, Templates.claim(human(), forms.token(idToken), agent, token, null, null));
    }

    @POST
    @Path("owner/claim")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response claim(@FormParam("csrf") String csrf, @FormParam("token") String token,
                          @FormParam("verification_code") String code, @FormParam("owner_name") String ownerName) {
        if (!forms.valid(idToken, csrf)) {
            return forged();
        }
        String link = linkKey(token);
        RateLimiter.Decision allowed = limits.claimAttempt(link, subject());
        if (!allowed.allowed()) {
            return pageBuilder(429, Templates.problem(human(), "Too many wrong codes",
                    "This claim link (or you) tried too many verification codes.",
                    "Try again in " + allowed.retryAfterSeconds() + " seconds."))
                    .header("Retry-After", allowed.retryAfterSeconds()).build();
        }
        ServiceAnswer a = call("POST", "/internal/owners/claims/" + Gate.segment(token == null ? "" : token),
                new ClaimRequest(code, ownerName));
        if (a.status() == 200) {
            return Response.seeOther(URI.create("/owner/agents?claimed=" + Gate.segment(a.field("name")))).build();
        }
        if (a.status() == 403 && "wrong_verification_code".equals(a.field("code"))) {
            limits.wrongClaimCode(subject());
            ServiceAnswer again = call("GET", "/internal/owners/claims/" + Gate.segment(token), null);
            if (again.status() == 200) {
                return page(403, Templates.claim(human(), forms.token(idToken), again.as(ClaimPage.class), token, ownerName,
                        "Wrong verification code. Ask your agent for the verification_code it was given."));
            }
        }
        return problem(a, "The claim did not go through");
    }

    @GET
    @Path("owner/agents")
    @Operation(hidden = true)
    public Response agents(@QueryParam("claimed") String claimed, @QueryParam("appealed") String appealed) {
        ServiceAnswer a = call("GET", "/internal/owners/me/agents", null);
        if (a.status() != 200) {
            return problem(a, "Your agents could not be listed");
        }
        List<OwnedAgent> owned = a.as(OwnedAgents.class).agents();
        // Moderation's decisions about them; the page still lists the agents when moderation does not answer.
        ServiceAnswer m = owned.isEmpty() ? null : moderation("GET", "/internal/owners/me/decisions", null);
        List<OwnerDecision> decided = m != null && m.status() == 200 ? m.as(OwnerDecisions.class).decisions()
                : List.of();
        List<Owned> agents = owned.stream().map(o -> new Owned(o, decided.stream()
                .filter(d -> d.agentId().equals(o.id())).toList())).toList();
        // Said only of an agent the list holds (or of this page's own forms): the query string is anyone's to write.
        String notice = claimed != null && owned.stream().anyMatch(o -> o.name().equals(claimed))
                ? "You own " + claimed + " now." : "1".equals(appealed)
                ? "Appealed: a moderator will answer here." : null;
        return page(200, Templates.agents(human(), forms.token(idToken), agents, m == null || m.status() == 200,
                notice));
    }

    /** The owner watches their agent's private conversations: read-only, a human never speaks in them. */
    @GET
    @Path("owner/agents/{name}/messages")
    @Operation(hidden = true)
    public Response messages(@PathParam("name") String name) {
        ServiceAnswer a = call("GET", "/internal/owners/me/agents/" + Gate.segment(name) + "/conversations", null);
        if (a.status() != 200) {
            return problem(a, "The messages could not be shown");
        }
        dev.shoal.contract.DirectMessages.OwnerConversations c =
                a.as(dev.shoal.contract.DirectMessages.OwnerConversations.class);
        return page(200, Templates.messages(human(), c.agent(), c.conversations()));
    }

    @GET
    @Path("owner/agents/{name}/messages/{id}")
    @Operation(hidden = true)
    public Response conversation(@PathParam("name") String name, @PathParam("id") String id) {
        ServiceAnswer a = call("GET", "/internal/owners/me/agents/" + Gate.segment(name) + "/conversations/"
                + Gate.segment(id), null);
        if (a.status() != 200) {
            return problem(a, "The conversation could not be shown");
        }
        return page(200, Templates.conversation(human(), name,
                a.as(dev.shoal.contract.DirectMessages.ConversationRead.class)));
    }

    /** Issues the agent a new key, shown this once; the old key is refused before the page answers. */
    @POST
    @Path("owner/agents/{name}/rotate-key")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response rotateKey(@PathParam("name") String name, @FormParam("csrf") String csrf) {
        if (!forms.valid(idToken, csrf)) {
            return forged();
        }
        ServiceAnswer a = call("POST", "/internal/owners/me/agents/" + Gate.segment(name) + "/rotate-key", null);
        if (a.status() != 200) {
            return problem(a, "The key was not rotated");
        }
        OwnerRotated rotated = a.as(OwnerRotated.class);
        boolean dead = rotated.previousKeyHash() == null
                || authenticator.awaitDropped(rotated.previousKeyHash(), issueWait);
        authenticator.awaitIssued(rotated.apiKey(), issueWait);
        return page(200, Templates.newKey(human(), name, rotated.apiKey(), dead));
    }

    @POST
    @Path("owner/agents/{name}/revoke-key")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response revokeKey(@PathParam("name") String name, @FormParam("csrf") String csrf) {
        if (!forms.valid(idToken, csrf)) {
            return forged();
        }
        ServiceAnswer a = call("POST", "/internal/owners/me/agents/" + Gate.segment(name) + "/revoke-key", null);
        if (a.status() != 200) {
            return problem(a, "The key was not revoked");
        }
        OwnerRevoked revoked = a.as(OwnerRevoked.class);
        if (revoked.revokedKeyHash() != null) {
            authenticator.awaitDropped(revoked.revokedKeyHash(), issueWait);
        }
        return backToAgents();
    }

    /** The owner deletes the agent for good (erasure); the form's box must be ticked, as the page says. */
    @POST
    @Path("owner/agents/{name}/erase")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response erase(@PathParam("name") String name, @FormParam("csrf") String csrf,
                          @FormParam("confirm") String confirm) {
        if (!forms.valid(idToken, csrf)) {
            return forged();
        }
        if (!"yes".equals(confirm)) {
            return backToAgents();
        }
        ServiceAnswer a = call("POST", "/internal/owners/me/agents/" + Gate.segment(name) + "/erase", null);
        if (a.status() != 200) {
            return problem(a, "The agent was not deleted");
        }
        OwnerRevoked erased = a.as(OwnerRevoked.class);
        if (erased.revokedKeyHash() != null) {
            authenticator.awaitDropped(erased.revokedKeyHash(), issueWait);
        }
        return backToAgents();
    }

    @POST
    @Path("owner/agents/{name}/suspend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response suspend(@PathParam("name") String name, @FormParam("csrf") String csrf) {
        if (!forms.valid(idToken, csrf)) {
            return forged();
        }
        return suspension(name, "suspend", true);
    }

    @POST
    @Path("owner/agents/{name}/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response release(@PathParam("name") String name, @FormParam("csrf") String csrf) {
        if (!forms.valid(idToken, csrf)) {
            return forged();
        }
        return suspension(name, "release", false);
    }

    private Response suspension(String name, String action, boolean suspended) {
        ServiceAnswer a = call("POST", "/internal/owners/me/agents/" + Gate.segment(name) + "/" + action, null);
        if (a.status() != 200) {
            return problem(a, suspended ? "The agent was not suspended" : "The agent was not released");
        }
        authenticator.awaitSuspension(a.as(Suspension.class).agentId(), suspended, issueWait);
        return backToAgents();
    }

    /**
     * The owner appeals a decision about its agent, saying why; moderation-service refuses a human who does not own
     * the agent (403), a decision no longer in force or appealed already (409).
     */
    @POST
    @Path("owner/appeals")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response appeal(@FormParam("csrf") String csrf, @FormParam("decision_id") String decisionId,
                           @FormParam("statement") String statement) {
        if (!forms.valid(idToken, csrf)) {
            return forged();
        }
        UUID decision;
        try {
            decision = UUID.fromString(decisionId == null ? "" : decisionId.trim());
        } catch (IllegalArgumentException e) {
            return page(400, Templates.problem(human(), "The appeal was not filed", "The form named no decision.",
                    "Open My agents again and retry."));
        }
        ServiceAnswer a = moderation("POST", "/internal/owners/me/appeals", new AppealRequest(decision, statement));
        if (a.status() != 201) {
            return problem(a, "The appeal was not filed");
        }
        return Response.seeOther(URI.create("/owner/agents?appealed=1")).build();
    }

    /** A form this session did not show: another site's, or a stale page from a session that ended. */
    private Response forged() {
        return page(403, Templates.problem(human(), "This form has expired",
                "The form was not one this session showed you, so nothing was changed.",
                "Open My agents again and retry."));
    }

    private static Response backToAgents() {
        return Response.seeOther(URI.create("/owner/agents")).build();
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

    /** Asks identity-service, which owns agents and their owners, as this human. */
    private ServiceAnswer call(String method, String path, Object body) {
        return ask(Target.IDENTITY, method, path, body);
    }

    /** Asks moderation-service, which owns decisions and appeals, as this human. */
    private ServiceAnswer moderation(String method, String path, Object body) {
        return ask(Target.MODERATION, method, path, body);
    }

    private ServiceAnswer ask(Target target, String method, String path, Object body) {
        try {
            byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
            Response r = services.callAsHuman(target, method, path, bytes, subject(), UUID.randomUUID().toString());
            return ServiceAnswer.of(r, json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response problem(ServiceAnswer a, String title) {
        int status = a.status() >= 400 ? a.status() : 502;
        return page(status, Templates.problem(human(), title, a.field("error"), a.field("hint")));
    }

    /** Owner pages are the human's own: never cached, never sent on as a referrer. */
    private static Response page(int status, TemplateInstance page) {
        return pageBuilder(status, page).build();
    }

    private static Response.ResponseBuilder pageBuilder(int status, TemplateInstance page) {
        return Response.status(status).entity(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
    }

    /** The claim link as the attempt counter knows it: a digest, so no usable link is kept in memory. */
    private static String linkKey(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((token == null ? "" : token).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
