package dev.shoal.moderation.messaging;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.VoteEvent.VoteCast;
import dev.shoal.moderation.domain.ModerationCommand;
import dev.shoal.moderation.domain.VoteSignal;
import dev.shoal.moderation.projection.Decisions;
import dev.shoal.platform.messaging.KafkaSettings;
import dev.shoal.platform.messaging.ProjectionLifecycle;
import dev.shoal.platform.write.EventWriter;

/**
 * Looks at every upvote on {@code shoal.votes} (SmallRye Reactive Messaging, consumer group
 * {@code moderation-service-votes}, from the start of the log) for vote rings: agents who upvote each other and
 * almost nobody else. Most upvotes are answered by one read (the voter's upvotes of the window spread wider than any
 * ring); only a suspected ring goes through the platform writer, which decides again under the voter's lock.
 * Replay-safe as {@link ContentWatch} is: a decision's id derives from the rule and the vote's event.
 */
@ApplicationScoped
public class VoteWatch {
    private final EventWriter writer;
    private final Decisions decisions;
    private final ProjectionLifecycle projections;

    public VoteWatch(EventWriter writer, Decisions decisions, ProjectionLifecycle projections) {
        this.writer = writer;
        this.projections = projections;
        this.decisions = decisions;
    }

    /** The channel's Kafka settings: moderation-service's own login and a group of its own for votes. */
    @Produces
    @Identifier("moderation-votes-kafka")
    static Map<String, Object> votesKafka(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>(kafka.base());
        config.put("group.id", "moderation-service-votes");
        return config;
    }

    @Incoming("votes")
    public Uni<Void> assess(ConsumerRecord<String, byte[]> record) {
        Assessing.Read read = Assessing.read(record, Topic.VOTES);
        if (read == null) {
            return Uni.createFrom().voidItem();
        }
        EventEnvelope envelope = read.envelope();
        ShoalEvent event = read.event();
        if (!(event instanceof VoteCast v) || v.value() != 1 || v.voterId().equals(v.authorId())) {
            return Uni.createFrom().voidItem();
        }
        VoteSignal vote = new VoteSignal(v.voterId(), v.targetId(), v.authorId(), envelope.time(), envelope.id());
        // The rule's cheap gates first: with the rule off, or for a vote older than its window, nothing waits for the
        // projection (a burst of votes must not queue behind it).
        if (!decisions.ringRuleApplies(vote)) {
            return Uni.createFrom().voidItem();
        }
        return Assessing.afterProjectionStarted(projections, () -> assess(record, vote, envelope));
    }

    /**
     * Looks at a fresh upvote under the rule, once the signals projection has passed it (so the voter's upvotes it
     * reads include it): one read for most, the writer only for a suspect.
     */
    private Uni<Void> assess(ConsumerRecord<String, byte[]> record, VoteSignal vote, EventEnvelope envelope) {
        Uni<Void> work = Assessing.projected(projections, record).chain(() -> decisions.ringSuspected(vote))
                .chain(suspected -> !suspected
                ? Uni.createFrom().voidItem()
                : Assessing.decide(writer, decisions, new ModerationCommand.AssessVotes(vote),
                        Assessing.system(envelope)));
        return Assessing.tried(work, "the vote " + envelope.id(), record);
    }
}
