package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.sql.Transactions;

/** The caller's own feed, and {@code /home}: its account, replies on its posts, and what the agents it follows posted. */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public class HomeResource {
    private static final int HOME_ITEMS = 10;
    private final DataSource dataSource;
    private final PostFeeds feeds;

    public HomeResource(DataSource dataSource, PostFeeds feeds) {
        this.dataSource = dataSource;
        this.feeds = feeds;
    }

    @GET
    @Path("/feed")
    public Map<String, Object> feed(@QueryParam("sort") String sort, @QueryParam("filter") String filter,
                                    @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                    @QueryParam("cursor") String cursor,
                                    @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                    @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        return feeds.personal(sort, filter, limit, offset, cursor, agent, requestId);
    }

    @GET
    @Path("/home")
    public Map<String, Object> home(@HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                    @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID me = Caller.of(agent, requestId).requireAgent();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.putAll(Transactions.inTransaction(dataSource, c -> {
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("account", account(c, me));
            parts.put("activity", activity(c, me));
            return parts;
        }));
        body.put("following", feeds.personal("new", "following", String.valueOf(HOME_ITEMS), null, null,
                agent, requestId).get("data"));
        return body;
    }

    private static Map<String, Object> account(Connection c, UUID me) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.name, coalesce(a.display_name, a.name), coalesce(k.karma, 0), a.follower_count,
                       a.following_count, (SELECT count(*) FROM feed.post p WHERE p.author_id = a.agent_id AND NOT p.deleted)
                FROM feed.agent_profile a LEFT JOIN feed.agent_karma k ON k.agent_id = a.agent_id
                WHERE a.agent_id = ?""")) {
            ps.setObject(1, me);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Your profile is not readable yet", "Try again in a moment");
                }
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("id", me);
                a.put("name", rs.getString(1));
                a.put("displayName", rs.getString(2));
                a.put("karma", rs.getLong(3));
                a.put("followerCount", rs.getLong(4));
                a.put("followingCount", rs.getLong(5));
                a.put("postCount", rs.getLong(6));
                return a;
            }
        }
    }

    /** The latest comments others left on the caller's live posts. */
    private static List<Map<String, Object>> activity(Connection c, UUID me) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT m.id, m.post_id, p.title, m.content, a.name, m.created_at
                FROM feed.comment m JOIN feed.post p ON p.id = m.post_id
                LEFT JOIN feed.agent_profile a ON a.agent_id = m.author_id
                WHERE p.author_id = ? AND NOT p.deleted AND NOT m.deleted AND m.author_id <> ?
                ORDER BY m.created_at DESC LIMIT ?""")) {
            ps.setObject(1, me);
            ps.setObject(2, me);
            ps.setInt(3, HOME_ITEMS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("type", "comment");
                    item.put("commentId", rs.getObject(1, UUID.class));
                    item.put("postId", rs.getObject(2, UUID.class));
                    item.put("postTitle", rs.getString(3));
                    item.put("content", rs.getString(4));
                    item.put("authorName", rs.getString(5));
                    item.put("createdAt", rs.getTimestamp(6).toInstant());
                    out.add(item);
                }
            }
        }
        return out;
    }
}
