package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.contract.Posts.PostPage;
import dev.shoal.contract.Submolts.Moderator;
import dev.shoal.contract.Submolts.Moderators;
import dev.shoal.contract.Submolts.OneSubmolt;
import dev.shoal.contract.Submolts.Submolt;
import dev.shoal.contract.Submolts.SubmoltDetails;
import dev.shoal.contract.Submolts.SubmoltPage;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.InternalCaller;
import dev.shoal.platform.http.Paging;
import dev.shoal.platform.sql.Transactions;

/** Submolt listings (popular, new, alphabetical), one submolt with the caller's role, and its moderators. */
@Path("/internal/submolts")
@Produces(MediaType.APPLICATION_JSON)
public class SubmoltQueryResource {
    private static final String COLUMNS = "id, name, display_name, description, subscriber_count, created_at,"
            + " banner_color, theme_color, allow_crypto, owner_id";

    /** How a listing is ordered and how a cursor (the last row's sort key) continues it. */
    enum Sort {
        POPULAR("subscriber_count DESC, name ASC", "(subscriber_count < ?::bigint OR (subscriber_count = ?::bigint AND name > ?))"),
        NEW("created_at DESC, name ASC", "(created_at < ?::timestamptz OR (created_at = ?::timestamptz AND name > ?))"),
        ALPHABETICAL("name ASC", "(name > ?)");

        final String order;
        final String after;

        Sort(String order, String after) {
            this.order = order;
            this.after = after;
        }

        List<Object> key(Submolt row) {
            return switch (this) {
                case POPULAR -> List.of(row.subscriberCount(), row.name());
                case NEW -> List.of(row.createdAt().toString(), row.name());
                case ALPHABETICAL -> List.of(row.name());
            };
        }

        /** The cursor's values bound to {@link #after}, checked so a forged cursor is a 400, not a SQL error. */
        List<String> bind(List<Object> key) {
            try {
                return switch (this) {
                    case POPULAR -> {
                        Paging.requireKey(key, 2);
                        String count = String.valueOf(Long.parseLong(String.valueOf(key.get(0))));
                        yield List.of(count, count, String.valueOf(key.get(1)));
                    }
                    case NEW -> {
                        Paging.requireKey(key, 2);
                        String at = Paging.time(key.get(0)).toInstant().toString();
                        yield List.of(at, at, String.valueOf(key.get(1)));
                    }
                    case ALPHABETICAL -> {
                        Paging.requireKey(key, 1);
                        yield List.of(String.valueOf(key.get(0)));
                    }
                };
            } catch (NumberFormatException | DateTimeParseException e) {
                throw Paging.foreignCursor();
            }
        }

    }

    private final DataSource dataSource;
    private final ReadSchema reads;
    private final PostFeeds feeds;

    public SubmoltQueryResource(DataSource dataSource, ReadSchema reads, PostFeeds feeds) {
        this.dataSource = dataSource;
        this.reads = reads;
        this.feeds = feeds;
    }

    @GET
    @Path("/{name}/feed")
    public PostPage feed(@PathParam("name") String name, @QueryParam("sort") String sort,
                         @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                         @QueryParam("cursor") String cursor,
                         @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                         @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        if (name == null || name.isBlank()) {
            throw ApiException.notFound("Submolt not found", "Check the name, or list submolts");
        }
        return feeds.feed(sort, name, limit, offset, cursor, agent, requestId);
    }

    @GET
    public SubmoltPage list(@QueryParam("sort") String sortParam, @QueryParam("limit") String limit,
                            @QueryParam("offset") String offset, @QueryParam("cursor") String cursor) {
        Sort sort = Paging.sort(sortParam, Sort.POPULAR);
        Paging paging = Paging.of(limit, offset, cursor);
        List<String> after = paging.after() == null ? List.of() : sort.bind(paging.after());
        String sql = "SELECT " + COLUMNS + " FROM {read}.submolt" + (after.isEmpty() ? "" : " WHERE " + sort.after)
                + " ORDER BY " + sort.order + " LIMIT ? OFFSET ?";
        List<Submolt> rows = Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = reads.prepare(c, sql)) {
                int i = 1;
                for (String v : after) {
                    ps.setString(i++, v);
                }
                ps.setInt(i++, paging.limit() + 1);
                ps.setInt(i, paging.offset());
                List<Submolt> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
        Paging.Slice<Submolt> page = paging.slice(rows, sort::key);
        return new SubmoltPage(true, page.rows(), page.pagination());
    }

    @GET
    @Path("/{name}")
    public OneSubmolt get(@PathParam("name") String name,
                          @HeaderParam(InternalCaller.AGENT_HEADER) String agent,
                          @HeaderParam(InternalCaller.REQUEST_HEADER) String requestId) {
        UUID viewer = Caller.of(agent, requestId).agentId();
        return Transactions.inTransaction(dataSource, c -> {
            Found f = find(c, name);
            Submolt s = f.submolt();
            boolean subscribed = viewer != null && exists(c, "submolt_member", s.id(), viewer);
            String role = viewer == null ? null : viewer.equals(f.ownerId()) ? "owner"
                    : exists(c, "submolt_moderator", s.id(), viewer) ? "moderator" : null;
            return new OneSubmolt(true, new SubmoltDetails(s.id(), s.name(), s.displayName(), s.description(),
                    s.subscriberCount(), s.createdAt(), f.bannerColor(), f.themeColor(), f.allowCrypto(),
                    subscribed, role));
        });
    }

    @GET
    @Path("/{name}/moderators")
    public Moderators moderators(@PathParam("name") String name) {
        return Transactions.inTransaction(dataSource, c -> {
            Found s = find(c, name);
            List<Moderator> mods = new ArrayList<>();
            try (PreparedStatement ps = reads.prepare(c, """
                    SELECT p.name, coalesce(p.display_name, p.name), CASE WHEN p.agent_id = s.owner_id THEN 'owner'
                           ELSE 'moderator' END AS role
                    FROM {read}.submolt s
                    JOIN {read}.agent_profile p ON p.agent_id = s.owner_id
                      OR p.agent_id IN (SELECT agent_id FROM {read}.submolt_moderator m WHERE m.submolt_id = s.id)
                    WHERE s.id = ? ORDER BY role DESC, p.name""")) {
                ps.setObject(1, s.submolt().id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        mods.add(new Moderator(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return new Moderators(true, mods);
        });
    }

    /** A submolt with what only its own page shows. */
    private record Found(Submolt submolt, String bannerColor, String themeColor, boolean allowCrypto, UUID ownerId) {
    }

    private Found find(Connection c, String name) throws SQLException {
        if (name == null || name.length() > 30) {
            throw ApiException.notFound("Submolt not found", "Check the name, or list submolts");
        }
        try (PreparedStatement ps = reads.prepare(c, "SELECT " + COLUMNS + " FROM {read}.submolt WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Submolt not found", "Check the name, or list submolts");
                }
                return new Found(row(rs), rs.getString(7), rs.getString(8), rs.getBoolean(9),
                        rs.getObject(10, UUID.class));
            }
        }
    }

    private static Submolt row(ResultSet rs) throws SQLException {
        return new Submolt(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getTimestamp(6).toInstant());
    }

    private boolean exists(Connection c, String table, UUID submolt, UUID agent) throws SQLException {
        try (PreparedStatement ps = reads.prepare(c,
                "SELECT 1 FROM {read}." + table + " WHERE submolt_id = ? AND agent_id = ?")) {
            ps.setObject(1, submolt);
            ps.setObject(2, agent);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
