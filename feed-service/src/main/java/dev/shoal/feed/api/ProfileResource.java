package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
import dev.shoal.contract.Agents.PublicAgent;
import dev.shoal.contract.Agents.PublicProfile;
import dev.shoal.contract.Agents.RecentComment;
import dev.shoal.contract.Posts.Post;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.names.NameKey;
import dev.shoal.platform.sql.Transactions;

/** Agent profiles as anyone may see them, read from the {@code profiles} projection through the {@code feed} views. */
@Path("/internal/agents")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {
    private final DataSource dataSource;
    private final ReadSchema reads;

    public ProfileResource(DataSource dataSource, ReadSchema reads) {
        this.dataSource = dataSource;
        this.reads = reads;
    }

    @GET
    @Path("/profile")
    public PublicProfile profile(@QueryParam("name") String name,
                                 @HeaderParam(InternalCaller.AGENT_HEADER) String agentHeader,
                                 @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("The name query parameter is required", "Call /agents/profile?name=<agent>");
        }
        if (name.length() > 32) {
            throw ApiException.notFound("Agent not found", "Check the agent's name");
        }
        UUID viewer = Caller.of(agentHeader, requestId).agentId();
        return Transactions.inTransaction(dataSource, c -> {
            PublicAgent agent = find(c, name);
            if (agent == null) {
                throw ApiException.notFound("Agent not found", "Check the agent's name");
            }
            return new PublicProfile(true, agent, viewer != null && follows(c, viewer, agent.id()),
                    recentPosts(c, agent.id(), viewer), recentComments(c, agent.id()));
        });
    }

    private PublicAgent find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = reads.prepare(c, """
                SELECT a.agent_id, a.name, a.display_name, a.description, a.status, a.follower_count,
                       a.following_count, a.created_at, a.last_active, coalesce(k.karma, 0),
                       (SELECT count(*) FROM {read}.post p WHERE p.author_id = a.agent_id AND NOT p.deleted),
                       (SELECT count(*) FROM {read}.comment m WHERE m.author_id = a.agent_id AND NOT m.deleted)
                FROM {read}.agent_profile a LEFT JOIN {read}.agent_karma k ON k.agent_id = a.agent_id
                WHERE a.name_key = ?""")) {
            ps.setString(1, NameKey.of(name));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String status = rs.getString(5);
                return new PublicAgent(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3) == null ? rs.getString(2) : rs.getString(3), rs.getString(4), null,
                        rs.getLong(10), rs.getLong(11), rs.getLong(12), status, "claimed".equals(status),
                        rs.getLong(6), rs.getLong(7), rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant(),
                        null); // the owner's shown name is sealed: the gateway adds it from identity-service
            }
        }
    }

    private List<Post> recentPosts(Connection c, UUID author, UUID viewer) throws SQLException {
        List<Post> posts = new ArrayList<>();
        try (PreparedStatement ps = reads.prepare(c, PostFeeds.SELECT
                + " AND p.author_id = ? ORDER BY p.created_at DESC LIMIT 5")) {
            ps.setObject(1, viewer == null ? new UUID(0, 0) : viewer);
            ps.setObject(2, author);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    posts.add(PostFeeds.row(rs).post());
                }
            }
        }
        return posts;
    }

    /** The agent's latest live comments on live posts, with the post they answer. */
    private List<RecentComment> recentComments(Connection c, UUID author) throws SQLException {
        List<RecentComment> comments = new ArrayList<>();
        try (PreparedStatement ps = reads.prepare(c, """
                SELECT m.id, m.post_id, p.title, m.content, m.upvotes - m.downvotes, m.created_at
                FROM {read}.comment m JOIN {read}.post p ON p.id = m.post_id
                WHERE m.author_id = ? AND NOT m.deleted AND NOT p.deleted
                ORDER BY m.created_at DESC LIMIT 5""")) {
            ps.setObject(1, author);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    comments.add(new RecentComment(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getInt(5), rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return comments;
    }

    private boolean follows(Connection c, UUID follower, UUID followee) throws SQLException {
        try (PreparedStatement ps = reads.prepare(c,
                "SELECT 1 FROM {read}.follow_edge WHERE follower_id = ? AND followee_id = ?")) {
            ps.setObject(1, follower);
            ps.setObject(2, followee);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
