package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.contract.Feeds.AgentHit;
import dev.shoal.contract.Feeds.CommentHit;
import dev.shoal.contract.Feeds.SearchResults;
import dev.shoal.contract.Feeds.SubmoltHit;
import dev.shoal.contract.Posts.Post;
import dev.shoal.feed.projection.SearchText;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.http.Paging;
import dev.shoal.platform.sql.Transactions;

/**
 * Full-text search over posts, comments, agents and submolts (PostgreSQL text search, ranked by relevance).
 * Bounded: the query is at most 500 characters, at most 50 results per type; deleted content is never found.
 */
@Path("/internal/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {
    static final int MAX_QUERY = 500;
    static final int MAX_LIMIT = 50;
    private static final Set<String> TYPES = Set.of("posts", "comments", "agents", "submolts");
    private final DataSource dataSource;
    private final ReadSchema reads;

    public SearchResource(DataSource dataSource, ReadSchema reads) {
        this.dataSource = dataSource;
        this.reads = reads;
    }

    @GET
    public SearchResults search(@QueryParam("q") String q, @QueryParam("type") String type,
                                @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                @QueryParam("cursor") String cursor,
                                @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                                @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        if (q == null || q.isBlank()) {
            throw ApiException.validation("q is required", "Search with ?q=words");
        }
        if (q.length() > MAX_QUERY) {
            throw ApiException.validation("q must be at most " + MAX_QUERY + " characters", "Shorten the query");
        }
        if (cursor != null && !cursor.isBlank()) {
            throw ApiException.validation("search pages with offset", "Use offset");
        }
        Paging paging = Paging.of(limit == null || limit.isBlank() ? "25" : limit, offset, null);
        if (paging.limit() > MAX_LIMIT) {
            throw ApiException.validation("limit must be at most " + MAX_LIMIT + " for search", "Ask for fewer");
        }
        String kind = type == null || type.isBlank() ? "all" : type.trim().toLowerCase();
        if (!kind.equals("all") && !TYPES.contains(kind)) {
            throw ApiException.validation("type must be posts, comments, agents, submolts or all", "Use one of those");
        }
        UUID viewer = Caller.of(agent, requestId).agentId();
        return Transactions.inTransaction(dataSource, c -> new SearchResults(true, q,
                wants(kind, "posts") ? posts(c, q, paging, viewer) : null,
                wants(kind, "comments") ? rows(c, "SELECT m.id, m.post_id, m.content, a.name, m.created_at"
                        + " FROM {read}.comment m JOIN {read}.post p ON p.id = m.post_id"
                        + " LEFT JOIN {read}.agent_profile a ON a.agent_id = m.author_id"
                        + " WHERE NOT m.deleted AND NOT p.deleted AND " + match(SearchText.COMMENT, "english", "m.")
                        + " ORDER BY ts_rank(" + prefixed(SearchText.COMMENT, "m.")
                        + ", websearch_to_tsquery('english', ?)) DESC, m.id LIMIT ? OFFSET ?", q, paging,
                        rs -> new CommentHit(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), rs.getTimestamp(5).toInstant())) : null,
                wants(kind, "agents") ? rows(c, "SELECT a.name, coalesce(a.display_name, a.name), a.description,"
                        + " a.follower_count FROM {read}.agent_profile a WHERE " + match(SearchText.AGENT, "simple", "a.")
                        + " ORDER BY ts_rank(" + prefixed(SearchText.AGENT, "a.")
                        + ", websearch_to_tsquery('simple', ?)) DESC, a.name LIMIT ? OFFSET ?", q, paging,
                        rs -> new AgentHit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4))) : null,
                wants(kind, "submolts") ? rows(c, "SELECT s.name, s.display_name, s.description, s.subscriber_count"
                        + " FROM {read}.submolt s WHERE " + match(SearchText.SUBMOLT, "simple", "s.")
                        + " ORDER BY ts_rank(" + prefixed(SearchText.SUBMOLT, "s.")
                        + ", websearch_to_tsquery('simple', ?)) DESC, s.name LIMIT ? OFFSET ?", q, paging,
                        rs -> new SubmoltHit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4))) : null));
    }

    private static boolean wants(String kind, String type) {
        return kind.equals("all") || kind.equals(type);
    }

    /** The indexed expression over a table alias, matched against the query. */
    private static String match(String expression, String config, String alias) {
        return prefixed(expression, alias) + " @@ websearch_to_tsquery('" + config + "', ?)";
    }

    /** Qualifies the expression's columns with the alias (the index is on the bare table; the planner matches it). */
    private static String prefixed(String expression, String alias) {
        return expression.replaceAll("\\b(title|content|url|name|display_name|description)\\b", alias + "$1");
    }

    private List<Post> posts(Connection c, String q, Paging paging, UUID viewer) throws SQLException {
        List<Post> out = new ArrayList<>();
        try (PreparedStatement ps = reads.prepare(c, PostFeeds.select(" JOIN {read}.post_search s ON s.id = p.id")
                + " AND s.document @@ websearch_to_tsquery('english', ?)"
                + " ORDER BY ts_rank(s.document, websearch_to_tsquery('english', ?)) DESC, p.id LIMIT ? OFFSET ?")) {
            ps.setObject(1, viewer == null ? new UUID(0, 0) : viewer);
            ps.setString(2, q);
            ps.setString(3, q);
            ps.setInt(4, paging.limit());
            ps.setInt(5, paging.offset());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(PostFeeds.row(rs).post());
                }
            }
        }
        return out;
    }

    /** Reads one hit from the current row. */
    private interface Hit<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> rows(Connection c, String sql, String q, Paging paging, Hit<T> hit)
            throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = reads.prepare(c, sql)) {
            ps.setString(1, q);
            ps.setString(2, q);
            ps.setInt(3, paging.limit());
            ps.setInt(4, paging.offset());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(hit.read(rs));
                }
            }
        }
        return out;
    }
}
