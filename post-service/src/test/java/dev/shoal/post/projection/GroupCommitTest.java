package dev.shoal.post.projection;

import static dev.shoal.testing.InternalApi.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.VoteEvent;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;
import dev.shoal.post.domain.VoteCommand;
import dev.shoal.post.domain.VoteCommand.CastVote;
import dev.shoal.post.domain.VoteState;
import dev.shoal.testing.Db;
import dev.shoal.testing.ShoalTestResource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The writer's group commit when a command fails with a database error in the middle of a group: the group rolls back
 * and each command runs again alone, so only the bad one fails and its neighbours' votes all stand, in order.
 */
@QuarkusTest
@WithTestResource(value = ShoalTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "post"))
class GroupCommitTest {
    @Inject
    EventWriter writer;
    @Inject
    Votes votes;
    @Inject
    Vertx vertx;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry registry;

    /** Votes, except that one voter's vote breaks its statement (a NOT NULL column set to null). */
    record PoisonedVotes(Votes votes, UUID poisoned) implements WriteModel<VoteState, VoteCommand, VoteEvent> {
        @Override
        public Uni<StreamId> stream(VoteCommand command) {
            return votes.stream(command);
        }

        @Override
        public Uni<VoteState> load(VoteCommand command) {
            return votes.load(command);
        }

        @Override
        public Decision<VoteEvent> decide(VoteState state, VoteCommand command, Instant now) {
            return votes.decide(state, command, now);
        }

        @Override
        public Uni<Void> evolve(VoteEvent event, EventEnvelope envelope) {
            if (event instanceof VoteEvent.VoteCast v && v.voterId().equals(poisoned)) {
                return Panache.getSession().chain(s -> s.createNativeQuery(
                        "INSERT INTO vote (target_id, voter_id, target_type, value, updated_at)"
                                + " VALUES (:target, :voter, 'post', 1, NULL)")
                        .setParameter("target", v.targetId()).setParameter("voter", v.voterId())
                        .executeUpdate()).replaceWithVoid();
            }
            return votes.evolve(event, envelope);
        }

        @Override
        public boolean groupCommit() {
            return true;
        }
    }

    @Test
    void aDatabaseErrorInAGroupFailsOnlyItsOwnCommand() throws Exception {
        UUID author = UUID.randomUUID();
        String post = as(author).body(Map.of("submolt", "general", "title", "Ebb", "content", "Sand and shells."))
                .post("/internal/posts").then().statusCode(201).extract().path("post.id");
        UUID poisoned = UUID.randomUUID();
        PoisonedVotes model = new PoisonedVotes(votes, poisoned);
        List<UUID> voters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            voters.add(i == 12 ? poisoned : UUID.randomUUID());
        }
        List<CompletableFuture<Object>> results = new ArrayList<>();
        voters.forEach(v -> results.add(new CompletableFuture<>()));
        // All submitted in one turn of the event loop: the first few start transactions of their own, the rest queue
        // and share the next one, the poisoned vote among them.
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        context.runOnContext(ignored -> {
            for (int i = 0; i < voters.size(); i++) {
                CompletableFuture<Object> result = results.get(i);
                writer.write(model, new CastVote(VoteEvent.Target.POST, UUID.fromString(post), voters.get(i),
                                VoteCommand.Direction.UP), new Caller(voters.get(i), "group-commit-test-" + i))
                        .subscribe().with(result::complete, result::complete);
            }
        });
        for (int i = 0; i < voters.size(); i++) {
            Object outcome = results.get(i).get(30, TimeUnit.SECONDS);
            if (i == 12) {
                assertInstanceOf(Throwable.class, outcome, "the poisoned vote fails");
            } else {
                assertInstanceOf(dev.shoal.platform.write.Written.class, outcome, "vote " + i + " stands: " + outcome);
            }
        }
        assertEquals(19, Db.count(dataSource, "SELECT sum(value) FROM vote WHERE target_id = '" + post + "'"));
        assertEquals(19, Db.count(dataSource, "SELECT version FROM event_stream WHERE topic = 'shoal.votes'"
                + " AND subject = '" + post + "'"));
        assertEquals(19, Db.count(dataSource, "SELECT count(DISTINCT aggregate_version) FROM outbox WHERE subject = '"
                + post + "' AND type = 'shoal.vote.cast.v1' AND aggregate_version BETWEEN 1 AND 19"));
        assertEquals(0, Db.count(dataSource, "SELECT count(*) FROM vote WHERE voter_id = '" + poisoned + "'"));
        DistributionSummary groups = registry.find("shoal.write.group.commands").tag("model", "PoisonedVotes")
                .summary();
        assertTrue(groups.max() > 1, "the poisoned vote was in a group with others");
    }
}
