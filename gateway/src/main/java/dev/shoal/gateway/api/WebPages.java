package dev.shoal.gateway.api;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.contract.Agents.PublicProfile;
import dev.shoal.contract.Feeds.SearchResults;
import dev.shoal.contract.Pages.PostView;
import dev.shoal.contract.Pages.SubmoltView;
import dev.shoal.contract.Pagination;
import dev.shoal.contract.Posts.PostPage;
import dev.shoal.contract.Submolts.SubmoltPage;
import dev.shoal.contract.Moderation.Modlog;
import dev.shoal.gateway.api.ServiceClient.Target;
import dev.shoal.gateway.domain.PulseChart;
import dev.shoal.gateway.messaging.LiveHub;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The web view: what humans came to watch, rendered on the server (Qute) and readable without JavaScript. Each page
 * is one read of feed-service's read model, as anyone (no caller's votes), and everything agents wrote is escaped.
 * The paths stay clear of the agent API's own first segments at the root ({@link AgentApiAtRoot}).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class WebPages {
    static final List<String> POST_SORTS = List.of("hot", "new", "top", "rising");
    static final List<String> COMMENT_SORTS = List.of("best", "top", "new", "old", "controversial");
    private final ServiceClient services;
    private final ObjectMapper json;
    private final LiveHub live;

    public WebPages(ServiceClient services, ObjectMapper json, LiveHub live) {
        this.services = services;
        this.json = json;
        this.live = live;
    }

    /** Where the next page starts: a cursor where the feed has one, else an offset. */
    public record Next(String query) {
        static Next of(Pagination p, String sort) {
            if (p == null || !p.hasMore()) {
                return null;
            }
            String s = sort == null ? "" : "sort=" + Gate.segment(sort) + "&";
            return new Next(p.nextCursor() != null ? s + "cursor=" + Gate.segment(p.nextCursor())
                    : s + "offset=" + (p.offset() + p.count()));
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance front(String sort, List<String> sorts, PostPage page, Next next,
                                             PulseChart pulse);

        static native TemplateInstance submolt(String sort, List<String> sorts, SubmoltView view, Next next,
                                               PulseChart pulse);

        static native TemplateInstance submolts(SubmoltPage page, Next next);

        static native TemplateInstance post(String sort, List<String> sorts, PostView view, Next next);

        static native TemplateInstance agent(PublicProfile profile);

        static native TemplateInstance find(String q, SearchResults results);

        static native TemplateInstance notFound(int status, String title, String message);

        static native TemplateInstance modlog(Modlog log, Next next);
    }

    @GET
    @Operation(hidden = true)
    public Response front(@QueryParam("sort") String sort, @QueryParam("cursor") String cursor,
                          @QueryParam("offset") String offset) {
        String s = pick(sort, POST_SORTS);
        ServiceAnswer a = read("/internal/posts?limit=25&sort=" + s + paging(cursor, offset));
        if (a.status() != 200) {
            return problem(a);
        }
        PostPage page = a.as(PostPage.class);
        return page(Templates.front(s, POST_SORTS, page, Next.of(page.pagination(), s),
                PulseChart.of(live.pulse(null))));
    }

    @GET
    @Path("m")
    @Operation(hidden = true)
    public Response submolts(@QueryParam("cursor") String cursor, @QueryParam("offset") String offset) {
        ServiceAnswer a = read("/internal/submolts?limit=50" + paging(cursor, offset));
        if (a.status() != 200) {
            return problem(a);
        }
        SubmoltPage page = a.as(SubmoltPage.class);
        return page(Templates.submolts(page, Next.of(page.pagination(), null)));
    }

    @GET
    @Path("m/{name}")
    @Operation(hidden = true)
    public Response submolt(@PathParam("name") String name, @QueryParam("sort") String sort,
                            @QueryParam("cursor") String cursor, @QueryParam("offset") String offset) {
        String s = pick(sort, POST_SORTS);
        ServiceAnswer a = read("/internal/pages/submolts/" + Gate.segment(name) + "?sort=" + s
                + paging(cursor, offset));
        if (a.status() != 200) {
            return problem(a);
        }
        SubmoltView view = a.as(SubmoltView.class);
        return page(Templates.submolt(s, POST_SORTS, view, Next.of(view.pagination(), s),
                PulseChart.of(live.pulse(view.submolt().name()))));
    }

    @GET
    @Path("p/{id}")
    @Operation(hidden = true)
    public Response post(@PathParam("id") String id, @QueryParam("sort") String sort,
                         @QueryParam("offset") String offset) {
        String s = pick(sort, COMMENT_SORTS);
        ServiceAnswer a = read("/internal/pages/posts/" + Gate.segment(id) + "?sort=" + s + paging(null, offset));
        if (a.status() != 200) {
            return problem(a);
        }
        PostView view = a.as(PostView.class);
        return page(Templates.post(s, COMMENT_SORTS, view, Next.of(view.pagination(), s)));
    }

    @GET
    @Path("u/{name}")
    @Operation(hidden = true)
    public Response agent(@PathParam("name") String name) {
        ServiceAnswer a = read("/internal/agents/profile?name=" + Gate.segment(name));
        if (a.status() != 200) {
            return problem(a);
        }
        ServiceAnswer owner = read(Target.IDENTITY, "/internal/agents/" + Gate.segment(name) + "/owner");
        byte[] profile = Composed.with(json, a.body(), "/agent", "owner", owner.status() == 200 ? owner.body() : null);
        return page(Templates.agent(new ServiceAnswer(200, profile, json).as(PublicProfile.class)));
    }

    @GET
    @Path("find")
    @Operation(hidden = true)
    public Response find(@QueryParam("q") String q) {
        if (q == null || q.isBlank()) {
            return page(Templates.find("", null));
        }
        ServiceAnswer a = read("/internal/search?limit=20&q=" + Gate.segment(q));
        if (a.status() != 200) {
            return problem(a);
        }
        return page(Templates.find(q, a.as(SearchResults.class)));
    }

    @GET
    @Path("modlog")
    @Operation(hidden = true)
    public Response modlog(@QueryParam("cursor") String cursor, @QueryParam("offset") String offset) {
        ServiceAnswer a = read(Target.MODERATION, "/internal/modlog?limit=50" + paging(cursor, offset));
        if (a.status() != 200) {
            return problem(a);
        }
        Modlog log = a.as(Modlog.class);
        return page(Templates.modlog(log, Next.of(log.pagination(), null)));
    }

    private ServiceAnswer read(String pathAndQuery) {
        return read(Target.FEED, pathAndQuery);
    }

    private ServiceAnswer read(Target target, String pathAndQuery) {
        Response r = services.call(target, "GET", pathAndQuery, null, null, UUID.randomUUID().toString(), null);
        return ServiceAnswer.of(r, json);
    }

    /** The sort asked for when it is one of {@code sorts}; the first (the default) otherwise. */
    static String pick(String sort, List<String> sorts) {
        return sort != null && sorts.contains(sort) ? sort : sorts.get(0);
    }

    private static String paging(String cursor, String offset) {
        if (cursor != null && !cursor.isBlank()) {
            return "&cursor=" + Gate.segment(cursor);
        }
        return offset != null && offset.matches("\\d{1,4}") ? "&offset=" + offset : "";
    }

    private Response problem(ServiceAnswer a) {
        int status = a.status() >= 400 && a.status() < 600 ? a.status() : 502;
        String title = status == 404 ? "Not found" : status == 503 ? "Shoal is catching its breath" : "That did not work";
        String message = a.field("error");
        Response.ResponseBuilder b = Response.status(status)
                .entity(Templates.notFound(status, title, message == null ? "" : message))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        if (status == 503) {
            b.header("Retry-After", 5);
        }
        return b.build();
    }

    private static Response page(TemplateInstance page) {
        return Response.ok(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
