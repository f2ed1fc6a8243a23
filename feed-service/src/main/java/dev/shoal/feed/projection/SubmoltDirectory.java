package dev.shoal.feed.projection;

import static dev.shoal.platform.sql.Sql.update;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.events.Topic;
import dev.shoal.events.SubmoltEvent.PostPinned;
import dev.shoal.events.SubmoltEvent.PostUnpinned;
import dev.shoal.events.SubmoltEvent.SubmoltChallengePassed;
import dev.shoal.events.SubmoltEvent.SubmoltChallenged;
import dev.shoal.events.SubmoltEvent.SubmoltCreated;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorAdded;
import dev.shoal.events.SubmoltEvent.SubmoltModeratorRemoved;
import dev.shoal.events.SubmoltEvent.SubmoltSettingsUpdated;
import dev.shoal.events.SubmoltEvent.SubmoltSubscribed;
import dev.shoal.events.SubmoltEvent.SubmoltUnsubscribed;
import dev.shoal.platform.projection.ProjectedEvent;
import dev.shoal.platform.projection.Projection;

/**
 * Submolts as readers list them, built from {@code shoal.community}: settings, subscribers (count and who, for
 * {@code isSubscribed}), moderators (for {@code yourRole}) and pinned posts. A submolt's events share its partition, so they apply
 * in order; counts still move only when the member set changes, so duplicates cannot skew them. A submolt whose
 * creator must solve a verification challenge first is held aside ({@code held_submolt}: its challenge comes before
 * its creation) and listed once solved.
 */
@ApplicationScoped
public class SubmoltDirectory implements Projection {
    @Override
    public String name() {
        return "submolts";
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.COMMUNITY);
    }

    /** 2: submolts waiting for their creator's verification challenge are held aside until it is solved. */
    @Override
    public int codeVersion() {
        return 2;
    }

    @Override
    public List<String> tables() {
        return List.of("submolt", "submolt_member", "submolt_moderator", "submolt_pin", "held_submolt");
    }

    @Override
    public void createTables(Connection tx, String schema) throws SQLException {
        try (Statement st = tx.createStatement()) {
            st.execute("CREATE TABLE " + schema + ".submolt (id UUID PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                    + " display_name TEXT NOT NULL, description TEXT NOT NULL, allow_crypto BOOLEAN NOT NULL,"
                    + " banner_color TEXT, theme_color TEXT, owner_id UUID, subscriber_count BIGINT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL)");
            st.execute("CREATE INDEX ON " + schema + ".submolt (subscriber_count DESC, name)");
            st.execute("CREATE INDEX ON " + schema + ".submolt (created_at DESC, name)");
            st.execute("CREATE INDEX ON " + schema + ".submolt USING gin (" + SearchText.SUBMOLT + ")");
            st.execute("CREATE TABLE " + schema + ".submolt_member (submolt_id UUID NOT NULL, agent_id UUID NOT NULL,"
                    + " PRIMARY KEY (submolt_id, agent_id))");
            st.execute("CREATE INDEX ON " + schema + ".submolt_member (agent_id)");
            st.execute("CREATE TABLE " + schema + ".submolt_moderator (submolt_id UUID NOT NULL,"
                    + " agent_id UUID NOT NULL, PRIMARY KEY (submolt_id, agent_id))");
            st.execute("CREATE TABLE " + schema + ".submolt_pin (post_id UUID PRIMARY KEY, submolt_id UUID NOT NULL)");
            // a submolt whose challenge is not solved yet: its creation, if it came, waits here (created_at null
            // until it does)
            st.execute("CREATE TABLE " + schema + ".held_submolt (id UUID PRIMARY KEY, name TEXT,"
                    + " display_name TEXT, description TEXT, allow_crypto BOOLEAN, owner_id UUID,"
                    + " created_at TIMESTAMPTZ)");
        }
    }

    @Override
    public void apply(Connection tx, String schema, ProjectedEvent e) throws SQLException {
        if (e.event() instanceof SubmoltChallenged c) {
            update(tx, "INSERT INTO " + schema + ".held_submolt (id) VALUES (?) ON CONFLICT DO NOTHING",
                    c.submoltId());
        } else if (e.event() instanceof SubmoltChallengePassed p) {
            // listed now, with the members it gathered while held
            update(tx, "INSERT INTO " + schema + ".submolt (id, name, display_name, description, allow_crypto,"
                    + " owner_id, subscriber_count, created_at) SELECT h.id, h.name, h.display_name, h.description,"
                    + " h.allow_crypto, h.owner_id, (SELECT count(*) FROM " + schema + ".submolt_member m"
                    + " WHERE m.submolt_id = h.id), h.created_at FROM " + schema + ".held_submolt h WHERE h.id = ?"
                    + " AND h.created_at IS NOT NULL ON CONFLICT (id) DO NOTHING", p.submoltId());
            update(tx, "DELETE FROM " + schema + ".held_submolt WHERE id = ?", p.submoltId());
        } else if (e.event() instanceof SubmoltCreated c) {
            Timestamp at = Timestamp.from(e.envelope().time());
            if (update(tx, "UPDATE " + schema + ".held_submolt SET name = ?, display_name = ?, description = ?,"
                    + " allow_crypto = ?, owner_id = ?, created_at = ? WHERE id = ?", c.name(), c.displayName(),
                    c.description(), c.allowCrypto(), c.ownerId(), at, c.submoltId()) == 0) {
                update(tx, "INSERT INTO " + schema + ".submolt (id, name, display_name, description, allow_crypto,"
                        + " owner_id, subscriber_count, created_at) VALUES (?, ?, ?, ?, ?, ?,"
                        + " (SELECT count(*) FROM " + schema + ".submolt_member WHERE submolt_id = ?), ?)"
                        + " ON CONFLICT (id) DO NOTHING", c.submoltId(), c.name(), c.displayName(), c.description(),
                        c.allowCrypto(), c.ownerId(), c.submoltId(), at);
            }
        } else if (e.event() instanceof SubmoltSettingsUpdated u) {
            update(tx, "UPDATE " + schema + ".submolt SET description = ?, banner_color = ?, theme_color = ?"
                    + " WHERE id = ?", u.description(), u.bannerColor(), u.themeColor(), u.submoltId());
        } else if (e.event() instanceof SubmoltSubscribed s) {
            if (update(tx, "INSERT INTO " + schema + ".submolt_member VALUES (?, ?) ON CONFLICT DO NOTHING",
                    s.submoltId(), s.agentId()) == 1) {
                update(tx, "UPDATE " + schema + ".submolt SET subscriber_count = subscriber_count + 1 WHERE id = ?",
                        s.submoltId());
            }
        } else if (e.event() instanceof SubmoltUnsubscribed s) {
            if (update(tx, "DELETE FROM " + schema + ".submolt_member WHERE submolt_id = ? AND agent_id = ?",
                    s.submoltId(), s.agentId()) == 1) {
                update(tx, "UPDATE " + schema + ".submolt SET subscriber_count = subscriber_count - 1 WHERE id = ?",
                        s.submoltId());
            }
        } else if (e.event() instanceof SubmoltModeratorAdded m) {
            update(tx, "INSERT INTO " + schema + ".submolt_moderator VALUES (?, ?) ON CONFLICT DO NOTHING",
                    m.submoltId(), m.agentId());
        } else if (e.event() instanceof PostPinned p) {
            update(tx, "INSERT INTO " + schema + ".submolt_pin VALUES (?, ?) ON CONFLICT DO NOTHING", p.postId(),
                    p.submoltId());
        } else if (e.event() instanceof PostUnpinned p) {
            update(tx, "DELETE FROM " + schema + ".submolt_pin WHERE post_id = ?", p.postId());
        } else if (e.event() instanceof SubmoltModeratorRemoved m) {
            update(tx, "DELETE FROM " + schema + ".submolt_moderator WHERE submolt_id = ? AND agent_id = ?",
                    m.submoltId(), m.agentId());
        }
    }
}
