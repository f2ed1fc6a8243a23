package dev.shoal.feed.api;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.contract.Moderation.ContentForReview;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.platform.sql.Transactions;

/**
 * A post or comment for the human moderators' queue, hidden or deleted ones included (every other read leaves them
 * out). The gateway asks only from its moderators' pages, which are behind the {@code moderator} role.
 */
@Path("/internal/review")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {
    private final DataSource dataSource;
    private final ReadSchema reads;

    public ReviewResource(DataSource dataSource, ReadSchema reads) {
        this.dataSource = dataSource;
        this.reads = reads;
    }

    @GET
    @Path("/posts/{id}")
    public ContentForReview post(@PathParam("id") String id) {
        UUID post = uuid(id);
        return Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = reads.prepare(c, "SELECT p.title, p.content, p.url, p.submolt_name,"
                    + " coalesce(a.name, '?'), p.created_at, p.hidden, p.author_deleted FROM {read}.post p"
                    + " LEFT JOIN {read}.agent_profile a ON a.agent_id = p.author_id WHERE p.id = ?")) {
                ps.setObject(1, post);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("Post not found", "It may not be known here yet");
                    }
                    return new ContentForReview(true, "post", post, post, rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(),
                            rs.getBoolean(7), rs.getBoolean(8));
                }
            }
        });
    }

    @GET
    @Path("/comments/{id}")
    public ContentForReview comment(@PathParam("id") String id) {
        UUID comment = uuid(id);
        return Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = reads.prepare(c, "SELECT m.post_id, m.content, coalesce(a.name, '?'),"
                    + " m.created_at, m.hidden, m.author_deleted FROM {read}.comment m"
                    + " LEFT JOIN {read}.agent_profile a ON a.agent_id = m.author_id WHERE m.id = ?")) {
                ps.setObject(1, comment);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("Comment not found", "It may not be known here yet");
                    }
                    return new ContentForReview(true, "comment", comment, rs.getObject(1, UUID.class), null,
                            rs.getString(2), null, null, rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getBoolean(5), rs.getBoolean(6));
                }
            }
        });
    }

    private static UUID uuid(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Not found", "Check the id");
        }
    }
}
