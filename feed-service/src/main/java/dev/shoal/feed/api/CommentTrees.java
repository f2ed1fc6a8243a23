package dev.shoal.feed.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.contract.Posts.Comment;
import dev.shoal.contract.Posts.CommentTree;
import dev.shoal.contract.Posts.OneComment;
import dev.shoal.feed.domain.CommentRanks;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Paging;
import dev.shoal.platform.sql.Transactions;

/**
 * Comment trees: a post's comments nested under {@code replies}, siblings ordered by best (Wilson lower bound),
 * top, new, old or controversial at every level. A comment its author deleted keeps its place as {@code [deleted]},
 * and one moderation hid (or held for its verification challenge) as {@code [removed]}, without its author, so that
 * its replies keep theirs; with no reply left to hold up, it leaves the tree. Top-level comments page by offset (best
 * and controversial have no stable keyset).
 */
@ApplicationScoped
public class CommentTrees {
    /** Upper bound of comments loaded for one tree. */
    static final int MAX_COMMENTS = 5000;

    /** One comment, with what the sorts need. */
    record Node(UUID id, UUID parentId, String content, int depth, int ups, int downs, String authorName,
                String authorDisplayName, Instant createdAt, boolean authorDeleted, boolean hidden,
                List<Node> replies) {
        int score() {
            return ups - downs;
        }

        boolean gone() {
            return authorDeleted || hidden;
        }
    }

    enum Sort {
        BEST(Comparator.<Node>comparingDouble(n -> -CommentRanks.best(n.ups(), n.downs()))
                .thenComparing(Node::createdAt)),
        TOP(Comparator.<Node>comparingInt(n -> -n.score()).thenComparing(Node::createdAt, Comparator.reverseOrder())),
        NEW(Comparator.comparing(Node::createdAt, Comparator.reverseOrder())),
        OLD(Comparator.comparing(Node::createdAt)),
        CONTROVERSIAL(Comparator.<Node>comparingDouble(n -> -CommentRanks.controversial(n.ups(), n.downs()))
                .thenComparing(Node::createdAt, Comparator.reverseOrder()));

        final Comparator<Node> order;

        Sort(Comparator<Node> order) {
            this.order = order.thenComparing(Node::id);
        }

    }

    private final DataSource dataSource;
    private final ReadSchema reads;

    public CommentTrees(DataSource dataSource, ReadSchema reads) {
        this.dataSource = dataSource;
        this.reads = reads;
    }

    public CommentTree ofPost(String postId, String sort, String limit, String offset, String cursor) {
        UUID post = uuid(postId, "Post not found");
        Sort order = Paging.sort(sort, Sort.BEST);
        Paging paging = Paging.of(limit, offset, null);
        if (cursor != null && !cursor.isBlank()) {
            throw ApiException.validation("comment trees page with offset", "Use offset");
        }
        List<Node> roots = Transactions.inTransaction(dataSource, c -> {
            if (!postIsLive(c, post)) {
                throw ApiException.notFound("Post not found", "It may have been deleted");
            }
            return prune(build(load(c, post), order));
        });
        int from = Math.min(paging.offset(), roots.size());
        List<Comment> page = roots.subList(from, Math.min(roots.size(), from + paging.limit() + 1))
                .stream().map(CommentTrees::view).toList();
        Paging.Slice<Comment> slice = paging.slice(page, n -> null);
        return new CommentTree(true, slice.rows(), slice.pagination());
    }

    public OneComment one(String commentId) {
        UUID id = uuid(commentId, "Comment not found");
        Node node = Transactions.inTransaction(dataSource, c -> {
            UUID post = null;
            try (PreparedStatement ps = reads.prepare(c, "SELECT post_id FROM {read}.comment WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        post = rs.getObject(1, UUID.class);
                    }
                }
            }
            if (post == null || !postIsLive(c, post)) {
                throw ApiException.notFound("Comment not found", "Check the comment's id");
            }
            return find(build(load(c, post), Sort.BEST), id);
        });
        return new OneComment(true, view(node));
    }

    private static Node find(List<Node> nodes, UUID id) {
        for (Node n : nodes) {
            if (n.id().equals(id)) {
                return n;
            }
            Node inside = find(n.replies(), id);
            if (inside != null) {
                return inside;
            }
        }
        return null;
    }

    private List<Node> load(Connection c, UUID post) throws SQLException {
        List<Node> nodes = new ArrayList<>();
        try (PreparedStatement ps = reads.prepare(c, """
                SELECT m.id, m.parent_id, m.content, m.depth, m.upvotes, m.downvotes, a.name,
                       coalesce(a.display_name, a.name), m.created_at, m.author_deleted, m.hidden
                FROM {read}.comment m LEFT JOIN {read}.agent_profile a ON a.agent_id = m.author_id
                WHERE m.post_id = ? ORDER BY m.created_at LIMIT ?""")) {
            ps.setObject(1, post);
            ps.setInt(2, MAX_COMMENTS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(new Node(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getString(7), rs.getString(8),
                            rs.getTimestamp(9).toInstant(), rs.getBoolean(10), rs.getBoolean(11),
                            new ArrayList<>()));
                }
            }
        }
        return nodes;
    }

    /** Nests the comments and orders each level; answers the top level. */
    static List<Node> build(List<Node> nodes, Sort sort) {
        Map<UUID, Node> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        List<Node> roots = new ArrayList<>();
        for (Node n : nodes) {
            Node parent = n.parentId() == null ? null : byId.get(n.parentId());
            (parent == null ? roots : parent.replies()).add(n);
        }
        sortAll(roots, sort);
        return roots;
    }

    /** Drops, bottom up, the deleted and hidden comments that no reply holds in place. */
    static List<Node> prune(List<Node> level) {
        level.forEach(n -> prune(n.replies()));
        level.removeIf(n -> n.gone() && n.replies().isEmpty());
        return level;
    }

    private static void sortAll(List<Node> level, Sort sort) {
        level.sort(sort.order);
        level.forEach(n -> sortAll(n.replies(), sort));
    }

    private static Comment view(Node n) {
        String content = n.authorDeleted() ? "[deleted]" : n.hidden() ? "[removed]" : n.content();
        return new Comment(n.id(), content, n.score(), n.ups(), n.downs(), n.parentId(), n.depth(),
                n.gone() ? null : n.authorName(), n.gone() ? null : n.authorDisplayName(), n.createdAt(), n.gone(),
                n.replies().stream().map(CommentTrees::view).toList());
    }

    private boolean postIsLive(Connection c, UUID post) throws SQLException {
        try (PreparedStatement ps = reads.prepare(c, "SELECT 1 FROM {read}.post WHERE id = ? AND NOT deleted")) {
            ps.setObject(1, post);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static UUID uuid(String id, String notFound) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(notFound, "Ids are UUIDs");
        }
    }
}
