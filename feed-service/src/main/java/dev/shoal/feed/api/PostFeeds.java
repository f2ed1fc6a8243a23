package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.contract.Posts.OnePost;
import dev.shoal.contract.Posts.Post;
import dev.shoal.contract.Posts.PostPage;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.Paging;
import dev.shoal.platform.http.ReadYourWrites;
import dev.shoal.platform.sql.Transactions;

/** Post feeds (hot, new, top, rising), globally or in one submolt, and single posts, with the caller's vote. */
@ApplicationScoped
public class PostFeeds {
    private static final UUID NOBODY = new UUID(0, 0);
    static final String SELECT = select("");

    /** Posts as {@link #row} reads them, with {@code join} after the post ({@code p}); the caller's vote comes first. */
    static String select(String join) {
        return "SELECT p.id, p.title, p.content, p.url, p.submolt_name, p.post_type,"
                + " p.score, p.upvotes, p.downvotes, p.comment_count, a.name, coalesce(a.display_name, a.name), v.value,"
                + " p.created_at, p.hot, pin.post_id IS NOT NULL FROM {read}.post p" + join
                + " LEFT JOIN {read}.agent_profile a ON a.agent_id = p.author_id"
                + " LEFT JOIN {read}.post_vote v ON v.target_id = p.id AND v.voter_id = ?"
                + " LEFT JOIN {read}.submolt_pin pin ON pin.post_id = p.id"
                + " WHERE NOT p.deleted";
    }

    /** How long a post counts as recent for rising. */
    private static final String RISING_WINDOW = "interval '48 hours'";

    /** Each feed's order and how a cursor (the last post's sort key) continues it; rising has no stable key. */
    enum Sort {
        HOT("p.hot DESC, p.id DESC", "(p.hot < ? OR (p.hot = ? AND p.id < ?))"),
        NEW("p.created_at DESC, p.id DESC", "(p.created_at < ? OR (p.created_at = ? AND p.id < ?))"),
        TOP("p.score DESC, p.created_at DESC, p.id DESC",
                "(p.score < ? OR (p.score = ? AND (p.created_at < ? OR (p.created_at = ? AND p.id < ?))))"),
        RISING("(p.score + 1) / power(extract(epoch FROM now() - p.created_at) / 3600 + 2, 1.5) DESC, p.id DESC", null);

        final String order;
        final String after;

        Sort(String order, String after) {
            this.order = order;
            this.after = after;
        }

        List<Object> key(Ranked row) {
            String id = row.post().id().toString();
            String at = row.post().createdAt().toString();
            return switch (this) {
                case HOT -> List.of(row.hot(), id);
                case NEW -> List.of(at, id);
                case TOP -> List.of(row.post().score(), at, id);
                case RISING -> null;
            };
        }

        List<Object> bind(List<Object> key) {
            try {
                return switch (this) {
                    case HOT -> {
                        Paging.requireKey(key, 2);
                        double hot = ((Number) key.get(0)).doubleValue();
                        yield List.of(hot, hot, UUID.fromString((String) key.get(1)));
                    }
                    case NEW -> {
                        Paging.requireKey(key, 2);
                        Timestamp at = Paging.time(key.get(0));
                        yield List.of(at, at, UUID.fromString((String) key.get(1)));
                    }
                    case TOP -> {
                        Paging.requireKey(key, 3);
                        int score = ((Number) key.get(0)).intValue();
                        Timestamp at = Paging.time(key.get(1));
                        yield List.of(score, score, at, at, UUID.fromString((String) key.get(2)));
                    }
                    case RISING -> throw ApiException.validation("rising moves with the clock: page it with offset",
                            "Use offset for sort=rising");
                };
            } catch (ClassCastException | DateTimeParseException | IllegalArgumentException e) {
                if (e instanceof ApiException a) {
                    throw a;
                }
                throw Paging.foreignCursor();
            }
        }
    }

    /**
     * The heap the page cache may hold, by an estimate of each page's size (its text at two bytes a character, plus a
     * fixed cost a row): bounded by bytes, not pages, since a page of 100 posts of 40 KB each weighs 8 MB.
     */
    static final long CACHE_BYTES = 48L << 20;
    private static final int ROW_BYTES = 400;

    /** A post with its hot rank, which a hot feed's cursor carries but the answer does not show. */
    record Ranked(Post post, double hot) {
        Ranked withUserVote(Integer vote) {
            return new Ranked(post.withUserVote(vote), hot);
        }
    }

    /** A page as anyone sees it (no caller's votes), and the {@link System#nanoTime} its read started at. */
    record CachedPage(long readFrom, List<Ranked> rows) {
    }

    private final DataSource dataSource;
    private final ReadSchema reads;
    private final Cache<String, CachedPage> pages;

    /**
     * {@code maxAge} bounds how much older than the tables a cached page may be; the age counts from the start of the
     * read that filled it. It is a time, not the projections' batch count, because under writes the count moves with
     * every batch (so nearly every read missed), and another replica's batches do not move this one's at all.
     */
    public PostFeeds(DataSource dataSource, ReadSchema reads,
                     @ConfigProperty(name = "shoal.feed.page-max-age", defaultValue = "PT0.25S") Duration maxAge) {
        this.dataSource = dataSource;
        this.reads = reads;
        this.pages = Caffeine.newBuilder().maximumWeight(CACHE_BYTES)
                .weigher((String key, CachedPage page) -> weight(key, page))
                .expireAfter(Expiry.creating((String key, CachedPage page) -> left(maxAge, page))).build();
    }

    /** A feed page, globally or (with {@code submolt}) in one submolt. */
    public PostPage feed(String sort, String submolt, String limit, String offset, String cursor,
                         String agent, String requestId) {
        boolean inSubmolt = submolt != null && !submolt.isBlank();
        PostPage page = cachedPage(Paging.sort(sort, Sort.HOT), inSubmolt ? " AND p.submolt_name = ?" : "",
                inSubmolt ? List.of(submolt) : List.of(), Paging.of(limit, offset, cursor), viewer(agent, requestId));
        if (inSubmolt && page.data().isEmpty()) {
            // a page with posts proves the submolt exists; only an empty one needs asking, to tell 404 from empty
            requireSubmolt(submolt);
        }
        return page;
    }

    /**
     * The caller's own feed: posts in the submolts it subscribes to and by the agents it follows
     * ({@code filter=all}, the default), or only by the agents it follows ({@code filter=following}).
     *
     * <p>Each scope first asks, once, whether the caller follows or subscribes to anything at all (an uncorrelated
     * EXISTS, which PostgreSQL evaluates before the scan): pgjdbc's prepared statements get a generic plan, which walks
     * the posts' time index and tests each post's author, so an agent that follows nobody (most, and every one of
     * the heartbeat benchmark's) read every post for an empty page (measured: 1 ms for 1,000 posts, against 0.007).
     */
    public PostPage personal(String sort, String filter, String limit, String offset, String cursor,
                             String agent, String requestId) {
        UUID viewer = Caller.of(agent, requestId).requireAgent();
        String followsAny = "EXISTS (SELECT 1 FROM {read}.follow_edge WHERE follower_id = ?)";
        String subscribesAny = "EXISTS (SELECT 1 FROM {read}.submolt_member WHERE agent_id = ?)";
        String followed = "p.author_id IN (SELECT followee_id FROM {read}.follow_edge WHERE follower_id = ?)";
        String subscribed = "p.submolt_id IN (SELECT submolt_id FROM {read}.submolt_member WHERE agent_id = ?)";
        String scope = filter == null || filter.isBlank() ? "all" : filter.trim().toLowerCase();
        return switch (scope) {
            case "all" -> page(Paging.sort(sort, Sort.HOT), " AND (" + subscribesAny + " OR " + followsAny + ")"
                            + " AND (" + subscribed + " OR " + followed + ")", List.of(viewer, viewer, viewer, viewer),
                    Paging.of(limit, offset, cursor), viewer);
            case "following" -> page(Paging.sort(sort, Sort.HOT), " AND " + followsAny + " AND " + followed,
                    List.of(viewer, viewer), Paging.of(limit, offset, cursor), viewer);
            default -> throw ApiException.validation("filter must be all or following", "Use one of those");
        };
    }

    /** One live post with the caller's vote; 404 when unknown or deleted. */
    public OnePost one(String id, String agent, String requestId) {
        UUID postId;
        try {
            postId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Post not found", "Post ids are UUIDs");
        }
        UUID viewer = viewer(agent, requestId);
        Ranked post = Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = reads.prepare(c, SELECT + " AND p.id = ?")) {
                ps.setObject(1, viewer);
                ps.setObject(2, postId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? row(rs) : null;
                }
            }
        });
        if (post == null) {
            throw ApiException.notFound("Post not found", "It may have been deleted");
        }
        return new OnePost(true, post.post());
    }

    /**
     * {@link #page} for feeds that look the same to everyone but for the caller's own votes (submolt and global):
     * a page is read at most once per {@code shoal.feed.page-max-age}, and each caller's votes on its posts (read
     * afresh) are laid over a copy. A request that names its caller's own recent writes reads the tables, so it sees
     * them, and its page then serves the others. Rising moves with the clock, so it is always read afresh.
     */
    private PostPage cachedPage(Sort sort, String scope, List<Object> scopeParams, Paging paging, UUID viewer) {
        if (sort == Sort.RISING) {
            return page(sort, scope, scopeParams, paging, viewer);
        }
        List<Object> after = paging.after() == null ? List.of() : sort.bind(paging.after());
        String key = sort + "|" + scope + "|" + scopeParams + "|" + after + "|" + paging.limit() + "|" + paging.offset();
        // A request naming its caller's own writes reads the tables: the awaited check tells that they were applied,
        // not when, so no cached page can be shown to hold them.
        CachedPage cached = ReadYourWrites.awaited() ? null : pages.getIfPresent(key);
        if (cached == null) {
            long readFrom = System.nanoTime();
            cached = new CachedPage(readFrom, rows(sort, scope, scopeParams, after, paging, NOBODY));
            pages.put(key, cached);
        }
        Map<UUID, Integer> votes = viewer.equals(NOBODY) || cached.rows().isEmpty() ? Map.of()
                : votesOf(viewer, cached.rows());
        List<Ranked> rows = cached.rows().stream().map(r -> r.withUserVote(votes.get(r.post().id()))).toList();
        return answer(paging.slice(rows, sort::key));
    }

    /** What is left of a page's {@code maxAge}, counted from when its read started (not from when it was stored). */
    static Duration left(Duration maxAge, CachedPage page) {
        Duration left = maxAge.minusNanos(System.nanoTime() - page.readFrom());
        return left.isNegative() ? Duration.ZERO : left;
    }

    static int weight(String key, CachedPage page) {
        long bytes = 2L * key.length() + ROW_BYTES;
        for (Ranked r : page.rows()) {
            Post p = r.post();
            bytes += ROW_BYTES + 2L * (length(p.title()) + length(p.content()) + length(p.url())
                    + length(p.submolt()) + length(p.authorName()) + length(p.authorDisplayName()));
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    static PostPage answer(Paging.Slice<Ranked> slice) {
        Paging.Slice<Post> posts = slice.map(Ranked::post);
        return new PostPage(true, posts.rows(), posts.pagination());
    }

    /** The caller's votes on these posts (withdrawn votes have no row). */
    private Map<UUID, Integer> votesOf(UUID viewer, List<Ranked> posts) {
        Object[] ids = posts.stream().map(p -> p.post().id()).toArray();
        return Transactions.inTransaction(dataSource, c -> {
            Map<UUID, Integer> votes = new java.util.HashMap<>();
            try (PreparedStatement ps = reads.prepare(c, "SELECT target_id, value FROM {read}.post_vote"
                    + " WHERE voter_id = ? AND target_id = ANY(?) AND value <> 0")) {
                ps.setObject(1, viewer);
                ps.setArray(2, c.createArrayOf("uuid", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        votes.put(rs.getObject(1, UUID.class), rs.getInt(2));
                    }
                }
            }
            return votes;
        });
    }

    /** A page of live posts within {@code scope} (an AND clause with its parameters), in the sort's order. */
    private PostPage page(Sort sort, String scope, List<Object> scopeParams, Paging paging, UUID viewer) {
        List<Object> after = paging.after() == null ? List.of() : sort.bind(paging.after());
        return answer(paging.slice(rows(sort, scope, scopeParams, after, paging, viewer), sort::key));
    }

    private List<Ranked> rows(Sort sort, String scope, List<Object> scopeParams, List<Object> after,
                                           Paging paging, UUID viewer) {
        String sql = SELECT + scope
                + (sort == Sort.RISING ? " AND p.created_at > now() - " + RISING_WINDOW : "")
                + (after.isEmpty() ? "" : " AND " + sort.after)
                + " ORDER BY " + sort.order + " LIMIT ? OFFSET ?";
        return Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = reads.prepare(c, sql)) {
                int i = 1;
                ps.setObject(i++, viewer);
                for (Object v : scopeParams) {
                    ps.setObject(i++, v);
                }
                for (Object v : after) {
                    ps.setObject(i++, v);
                }
                ps.setInt(i++, paging.limit() + 1);
                ps.setInt(i, paging.offset());
                List<Ranked> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    private void requireSubmolt(String name) {
        boolean exists = name.length() <= 30 && Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = reads.prepare(c, "SELECT 1 FROM {read}.submolt WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!exists) {
            throw ApiException.notFound("Submolt not found", "Check the name, or list submolts");
        }
    }

    private static UUID viewer(String agent, String requestId) {
        UUID id = Caller.of(agent, requestId).agentId();
        return id == null ? NOBODY : id;
    }

    /** One row of {@link #SELECT}. */
    static Ranked row(ResultSet rs) throws SQLException {
        int vote = rs.getInt(13);
        Integer userVote = rs.wasNull() || vote == 0 ? null : vote;
        Post post = new Post(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
                rs.getString(11), rs.getString(12), userVote, rs.getTimestamp(14).toInstant(), rs.getBoolean(16));
        return new Ranked(post, rs.getDouble(15));
    }
}
