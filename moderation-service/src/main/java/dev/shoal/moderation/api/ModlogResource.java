package dev.shoal.moderation.api;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.shoal.contract.Moderation.Modlog;
import dev.shoal.contract.Moderation.ModlogEntry;
import dev.shoal.moderation.domain.ModerationRules;
import dev.shoal.platform.http.Paging;
import dev.shoal.platform.projection.ReadSchema;
import dev.shoal.platform.sql.Transactions;

/**
 * The modlog, newest first: every decision, what it was about, which rule or which moderator role made it, and why.
 * Public through the gateway. Where a leaked key was found is not said (the content is hidden, and a pointer to it
 * helps nobody); the content itself is never in it.
 */
@Path("/internal/modlog")
@Produces(MediaType.APPLICATION_JSON)
public class ModlogResource {
    private final DataSource dataSource;
    private final ReadSchema reads;

    public ModlogResource(DataSource dataSource, ReadSchema reads) {
        this.dataSource = dataSource;
        this.reads = reads;
    }

    @GET
    public Modlog list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                       @QueryParam("cursor") String cursor) {
        Paging paging = Paging.of(limit, offset, cursor);
        List<Object> after = paging.after();
        Timestamp afterTime = null;
        UUID afterId = null;
        if (after != null) {
            Paging.requireKey(after, 2);
            try {
                afterTime = Paging.time(after.get(0));
                afterId = UUID.fromString(String.valueOf(after.get(1)));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw Paging.foreignCursor();
            }
        }
        String sql = "SELECT d.decision_id, d.kind, d.target_type, d.target_id, d.post_id, a.name, d.rule,"
                + " d.moderator, d.reason, d.until, d.reverses, d.decided_at FROM decision d"
                + " LEFT JOIN {read}.agent_signal a ON a.agent_id = d.agent_id"
                + (after == null ? "" : " WHERE (d.decided_at, d.decision_id) < (?, ?)")
                + " ORDER BY d.decided_at DESC, d.decision_id DESC LIMIT ? OFFSET ?";
        Timestamp t = afterTime;
        UUID id = afterId;
        List<ModlogEntry> rows = Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = reads.prepare(c, sql)) {
                int i = 1;
                if (t != null) {
                    ps.setTimestamp(i++, t);
                    ps.setObject(i++, id);
                }
                ps.setInt(i++, paging.limit() + 1);
                ps.setInt(i, paging.offset());
                List<ModlogEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
                return out;
            }
        });
        Paging.Slice<ModlogEntry> page = paging.slice(rows, e -> List.of(e.decidedAt().toString(), e.id().toString()));
        return new Modlog(true, page.rows(), page.pagination());
    }

    private static ModlogEntry entry(ResultSet rs) throws SQLException {
        String kind = rs.getString(2);
        // Neither the revocation nor the hide of the content that held the key says where it was.
        boolean leak = "leaked-key-found".equals(kind) || ModerationRules.LEAKED_KEY.equals(rs.getString(7));
        return new ModlogEntry(rs.getObject(1, UUID.class), "leaked-key-found".equals(kind) ? "key-revoked" : kind,
                leak ? null : rs.getString(3), leak ? null : rs.getObject(4, UUID.class),
                leak ? null : rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7), rs.getString(8),
                "leaked-key-found".equals(kind) ? "a live API key of this agent was found where others could read it"
                        : rs.getString(9),
                instant(rs.getTimestamp(10)), rs.getObject(11, UUID.class), instant(rs.getTimestamp(12)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
