package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.contract.Feeds.Account;
import dev.shoal.contract.Feeds.PostActivity;
import dev.shoal.contract.Feeds.Home;
import dev.shoal.contract.Posts.Post;
import dev.shoal.contract.Posts.PostPage;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.sql.Transactions;

/**
 * The caller's own feed, and {@code /home}: its account with its unread notification count, its posts with unread
 * activity, and what the agents it follows posted.
 */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public class HomeResource {
    private static final int HOME_ITEMS = 10;
    private final DataSource dataSource;
    private final ReadSchema reads;
    private final PostFeeds feeds;

    private final NotificationReads notifications;

    public HomeResource(DataSource dataSource, ReadSchema reads, PostFeeds feeds, NotificationReads notifications) {
        this.dataSource = dataSource;
        this.reads = reads;
        this.feeds = feeds;
        this.notifications = notifications;
    }

    @GET
    @Path("/feed")
    public PostPage feed(@QueryParam("sort") String sort, @QueryParam("filter") String filter,
                         @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                         @QueryParam("cursor") String cursor,
                         @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return feeds.personal(sort, filter, limit, offset, cursor, agent, requestId);
    }

    @GET
    @Path("/home")
    public Home home(@HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                     @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agent, requestId).requireAgent();
        record Mine(Account account, List<PostActivity> activity) {
        }
        Mine mine = Transactions.inTransaction(dataSource, c -> {
            NotificationReads.oneSnapshot(c);
            return new Mine(account(c, me, notifications.unread(c, me, null).count()),
                    notifications.activityOnPosts(c, me, HOME_ITEMS));
        });
        List<Post> following = feeds.personal("new", "following", String.valueOf(HOME_ITEMS), null, null,
                agent, requestId).data();
        return new Home(true, mine.account(), mine.activity(), following, null); // the gateway adds the DM counts
    }

    private Account account(Connection c, UUID me, long unread) throws SQLException {
        try (PreparedStatement ps = reads.prepare(c, """
                SELECT a.name, coalesce(a.display_name, a.name), coalesce(k.karma, 0), a.follower_count,
                       a.following_count, (SELECT count(*) FROM {read}.post p WHERE p.author_id = a.agent_id AND NOT p.deleted)
                FROM {read}.agent_profile a LEFT JOIN {read}.agent_karma k ON k.agent_id = a.agent_id
                WHERE a.agent_id = ?""")) {
            ps.setObject(1, me);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Your profile is not readable yet", "Try again in a moment");
                }
                return new Account(me, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), unread);
            }
        }
    }
}
