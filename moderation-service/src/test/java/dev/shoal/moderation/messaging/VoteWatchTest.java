package dev.shoal.moderation.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.VoteEvent;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.moderation.projection.Signals;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import dev.shoal.testing.TestLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Vote rings against the real log: upvotes put on {@code shoal.votes} as post-service would, decisions read back from
 * moderation-service's tables. A ring's members are each suspended once; friends who also upvote others are not.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "moderation"))
class VoteWatchTest {
    @Inject
    DataSource dataSource;

    long count(String sql) {
        return Db.count(dataSource, sql);
    }

    /** Waits up to 20 s for {@code sql} to count at least {@code expected} rows. */
    void await(String sql, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(sql) < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(count(sql) >= expected, sql);
    }

    /**
     * Each of {@code group} upvotes three posts of each other member, its last member having upvoted {@code wider}
     * posts of strangers before.
     */
    static List<VoteCast> upvoteEachOther(List<UUID> group, int wider) {
        List<VoteCast> votes = new ArrayList<>();
        for (int i = 0; i < wider; i++) { // first: a friend who reads widely did so before
            votes.add(new VoteCast(VoteEvent.Target.POST, UUID.randomUUID(), group.getLast(), UUID.randomUUID(), 1));
        }
        for (UUID voter : group) {
            for (UUID author : group) {
                for (int i = 0; voter != author && i < 3; i++) {
                    votes.add(new VoteCast(VoteEvent.Target.POST, UUID.randomUUID(), voter, author, 1));
                }
            }
        }
        return votes;
    }

    @Test
    void aRingIsSuspendedMemberByMemberOnceAndFriendsWhoReadWidelyAreNot() throws Exception {
        List<UUID> ring = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<UUID> friends = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<VoteCast> votes = new ArrayList<>(upvoteEachOther(ring, 0));
        votes.addAll(upvoteEachOther(friends, 10)); // the last friend gives most of its upvotes to strangers
        TestLog.publish(votes);
        String suspended = "SELECT count(*) FROM decision WHERE kind = 'agent-suspended' AND rule = 'vote-ring'"
                + " AND agent_id IN ('" + ring.get(0) + "', '" + ring.get(1) + "', '" + ring.get(2) + "')";
        // Whoever votes once the others' upvotes are projected is caught; the others as they vote on.
        await(suspended, 1);
        TestLog.publish(upvoteEachOther(ring, 0));
        await(suspended, 3);
        List<VoteCast> again = upvoteEachOther(ring, 0); // suspended already: nothing more is decided
        TestLog.publish(again);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count("SELECT count(*) FROM " + Signals.READ_SCHEMA + ".vote_signal WHERE target_id = '"
                + again.getLast().targetId() + "'") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1000); // the watch assesses after the projection has the vote
        assertEquals(3, count(suspended), "each member once");
        // each member's suspension downranked the ring's posts it had upvoted by then (how many depends on the vote
        // that completed the ring: at most two rounds of three posts by each of the two others)
        for (UUID member : ring) {
            long posts = count("SELECT count(DISTINCT target_id) FROM decision WHERE kind = 'content-downranked'"
                    + " AND rule = 'vote-ring' AND agent_id = '" + member + "'");
            assertTrue(posts >= 1 && posts <= 12, member + " downranked " + posts);
        }
        assertEquals(0, count("SELECT count(*) FROM decision d WHERE d.kind = 'content-downranked' AND d.agent_id IN ('"
                + ring.get(0) + "', '" + ring.get(1) + "', '" + ring.get(2) + "') AND NOT EXISTS (SELECT 1 FROM "
                + Signals.READ_SCHEMA + ".vote_signal v WHERE v.target_id = d.target_id AND v.author_id IN ('"
                + ring.get(0) + "', '" + ring.get(1) + "', '" + ring.get(2) + "'))"), "only the ring's own posts");
        assertEquals(0, count("SELECT count(*) FROM decision WHERE agent_id IN ('" + friends.get(0) + "', '"
                + friends.get(1) + "', '" + friends.get(2) + "')"), "friends who also upvote others are no ring");
    }
    /**
     * The signals projection writes a poll's votes in one statement: a voter's votes on one target, toggled in one
     * burst, leave its last vote (value and event), as applying them one by one would; each target keeps its author.
     */
    @Test
    void aBurstOfTogglesLeavesEachVotersLastVote() throws Exception {
        UUID voter = UUID.randomUUID();
        UUID author = UUID.randomUUID();
        List<UUID> targets = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<VoteCast> votes = new ArrayList<>();
        int[][] values = {{1, 0, 1, -1}, {-1, 1}, {1, 0}};
        for (int t = 0; t < targets.size(); t++) {
            for (int value : values[t]) {
                votes.add(new VoteCast(VoteEvent.Target.COMMENT, targets.get(t), voter, author, value));
            }
        }
        TestLog.publish(votes); // one burst, on the targets' partitions: polled together
        String rows = "SELECT count(*) FROM " + Signals.READ_SCHEMA + ".vote_signal WHERE voter_id = '" + voter + "'";
        await(rows, 3);
        Thread.sleep(500); // a later batch could still change a row: let it land
        for (int t = 0; t < targets.size(); t++) {
            int last = values[t][values[t].length - 1];
            assertEquals(1, count(rows + " AND target_id = '" + targets.get(t) + "' AND value = " + last
                    + " AND author_id = '" + author + "' AND target_type = 'comment'"), "target " + t + ": its last vote");
        }
        assertEquals(3, count(rows), "one row a target");
    }
}
