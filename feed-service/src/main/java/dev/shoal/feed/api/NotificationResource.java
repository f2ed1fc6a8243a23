package dev.shoal.feed.api;

import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.contract.Notifications.Notification;
import dev.shoal.contract.Notifications.NotificationPage;
import dev.shoal.contract.Notifications.Unread;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.http.Paging;
import dev.shoal.platform.sql.Transactions;

/** The caller's notifications, and what a read mark would cover (which the gateway asks before it marks). */
@Path("/internal/notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {
    private final DataSource dataSource;
    private final NotificationReads notifications;

    public NotificationResource(DataSource dataSource, NotificationReads notifications) {
        this.dataSource = dataSource;
        this.notifications = notifications;
    }

    /** Newest first, by {@code cursor} (or {@code offset}); {@code filter=unread} leaves out the read ones. */
    @GET
    public NotificationPage list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                 @QueryParam("cursor") String cursor, @QueryParam("filter") String filter,
                                 @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                 @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agent, requestId).requireAgent();
        boolean unreadOnly = unreadOnly(filter);
        Paging paging = Paging.of(limit, offset, cursor);
        Timestamp afterAt = null;
        UUID afterId = null;
        if (paging.after() != null) {
            try {
                Paging.requireKey(paging.after(), 2);
                afterAt = Paging.time(paging.after().get(0));
                afterId = UUID.fromString((String) paging.after().get(1));
            } catch (ClassCastException | IllegalArgumentException e) {
                throw Paging.foreignCursor();
            }
        }
        Timestamp at = afterAt;
        UUID id = afterId;
        record Read(List<Notification> rows, Unread unread) {
        }
        Read read = Transactions.inTransaction(dataSource, c -> {
            NotificationReads.oneSnapshot(c);
            return new Read(notifications.page(c, me, unreadOnly, at, id, paging.offset(), paging.limit() + 1),
                    notifications.unread(c, me, null));
        });
        Paging.Slice<Notification> slice = paging.slice(read.rows(),
                n -> List.of(n.createdAt().toString(), n.id().toString()));
        return new NotificationPage(true, slice.rows(), slice.pagination(), read.unread().count());
    }

    /** How many are unread (about {@code post}, if given) and the newest's time: what marking them would cover. */
    @GET
    @Path("/unread")
    public Unread unread(@QueryParam("post") String post,
                         @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agent, requestId).requireAgent();
        UUID postId = post == null ? null : postId(post);
        return Transactions.inTransaction(dataSource, c -> notifications.unread(c, me, postId));
    }

    private static boolean unreadOnly(String filter) {
        if (filter == null || filter.isBlank() || filter.equals("all")) {
            return false;
        }
        if (filter.equals("unread")) {
            return true;
        }
        throw ApiException.validation("filter must be all or unread", "Use filter=unread for the unread ones only");
    }

    private static UUID postId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("post id is not a valid id", "Use the id a post was answered with");
        }
    }
}
