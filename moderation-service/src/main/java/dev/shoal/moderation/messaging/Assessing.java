package dev.shoal.moderation.messaging;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventCodec;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.ModerationCommand;
import dev.shoal.moderation.projection.Decisions;
import dev.shoal.moderation.projection.Signals;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.messaging.ProjectionLifecycle;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.platform.decide.Refused;

/** How the watches run one record's assessment: the same patience and the same giving up for every rule. */
final class Assessing {
    private static final Logger LOG = Logger.getLogger(Assessing.class);

    private Assessing() {
    }

    /** A record's envelope and event. */
    record Read(EventEnvelope envelope, ShoalEvent event) {
    }

    /**
     * The record's event, or null (logged) when it cannot be read or was not written by {@code topic}'s owner: only
     * the owner's events are believed, and one record nobody can read must not stop the ones after it.
     */
    static Read read(ConsumerRecord<String, byte[]> record, Topic topic) {
        try {
            EventEnvelope envelope = CloudEventHeaders.fromRecord(record);
            if (!topic.owner().equals(envelope.source())) {
                LOG.warnf("ignored event %s on %s: its source %s is not the topic's owner", envelope.id(),
                        record.topic(), envelope.source());
                return null;
            }
            return new Read(envelope, EventCodec.get().decode(envelope));
        } catch (RuntimeException e) {
            LOG.warnf("moderation skips a record it cannot read (%s-%d@%d): %s", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return null;
        }
    }

    /**
     * {@code assessment}, once the signals projection this build reads has started: a build whose projection is
     * being built from offset 0 (a new code version, beside the running build's) would otherwise assess on a fraction
     * of the history, missing duplicates and rings. Waits as long as that takes, holding the record uncommitted (the
     * channel stops fetching behind it); when started, adds nothing.
     */
    static Uni<Void> afterProjectionStarted(ProjectionLifecycle projections, java.util.function.Supplier<Uni<Void>>
            assessment) {
        if (projections.manager().started()) {
            return assessment.get();
        }
        LOG.infof("assessing waits until the signals projection has started (%s)",
                projections.manager().notReadyBecause(Duration.ofDays(1)));
        return Uni.createFrom().item(() -> projections.manager().started())
                .onItem().transformToUni(started -> started ? Uni.createFrom().voidItem()
                        : Uni.createFrom().<Void>failure(new NotProjectedYet("the history")))
                .onFailure(NotProjectedYet.class).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .indefinitely()
                .chain(() -> assessment.get());
    }

    /** How long a watch waits for the signals projection to pass a record before it assesses on what it holds. */
    static final Duration PROJECTION_PATIENCE = Duration.ofSeconds(2);

    /**
     * Completes once the signals projection has passed {@code record} (the same topic and partition: it holds the
     * record's event and all before it in the partition), told by the projection runner in memory, with no query; after
     * {@link #PROJECTION_PATIENCE} it completes anyway, logged (an event the projection set aside, or a projection
     * stuck, must not stop every assessment after it). Continues on the caller's Vert.x context, where Hibernate
     * Reactive needs to run.
     */
    static Uni<Void> projected(ProjectionLifecycle projections, ConsumerRecord<?, ?> record) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable finish = () -> {
                if (done.compareAndSet(false, true)) {
                    if (context == null) {
                        emitter.complete(null);
                    } else {
                        context.runOnContext(v -> emitter.complete(null));
                    }
                }
            };
            long timer = context == null ? -1 : context.owner().setTimer(PROJECTION_PATIENCE.toMillis(), id -> {
                if (!done.get()) {
                    LOG.warnf("the signals projection has not passed %s-%d@%d yet: assessing on what it holds",
                            record.topic(), record.partition(), record.offset());
                }
                finish.run();
            });
            projections.manager().whenApplied(Signals.NAME, new TopicPartition(record.topic(), record.partition()),
                    record.offset(), () -> {
                        if (timer >= 0) {
                            context.owner().cancelTimer(timer);
                        }
                        finish.run();
                    });
        });
    }

    /** The caller a watch decides as: the system, carrying the assessed event's correlation id. */
    static Caller system(EventEnvelope envelope) {
        return new Caller(null, null, envelope.correlationId() != null ? envelope.correlationId()
                : envelope.id().toString());
    }

    /** {@code command} decided through the writer, the decisions it made logged. */
    static Uni<Void> decide(EventWriter writer, Decisions decisions, ModerationCommand command, Caller system) {
        return writer.write(decisions, command, system).invoke(written -> {
            if (!written.events().isEmpty()) {
                LOG.infof("decided %s", written.events().stream().map(e -> e.getClass().getSimpleName() + " "
                        + (e instanceof ModerationEvent.Decided d ? d.decisionId() : "")).toList());
            }
        }).replaceWithVoid();
    }

    /** The projection does not hold the event yet. */
    static final class NotProjectedYet extends RuntimeException {
        NotProjectedYet(String what) {
            super(what + " is not in the signals projection yet", null, false, false);
        }
    }

    /**
     * {@code work}, tried again for five minutes (PostgreSQL away, a restore under way); past that the record is
     * skipped, loudly: one record that cannot be assessed must not stop moderation of every later one. A refusal is
     * logged and not tried again (the rules do not refuse; should a decider ever, retrying cannot help).
     */
    static Uni<Void> tried(Uni<Void> work, String what, ConsumerRecord<?, ?> record) {
        return work
                .onFailure(f -> !(f instanceof Refused)).invoke(f -> LOG.warnf("could not assess %s (%s-%d@%d),"
                        + " trying again: %s", what, record.topic(), record.partition(), record.offset(), f.toString()))
                .onFailure(f -> !(f instanceof Refused)).retry().withBackOff(Duration.ofMillis(200),
                        Duration.ofSeconds(10)).expireIn(Duration.ofMinutes(5).toMillis())
                .onFailure(f -> !(f instanceof Refused)).invoke(f -> LOG.errorf(f, "gave up assessing %s (%s-%d@%d):"
                        + " it is not moderated", what, record.topic(), record.partition(), record.offset()))
                .onFailure(f -> !(f instanceof Refused)).recoverWithItem((Void) null)
                .onFailure(Refused.class).invoke(f -> LOG.warnf("assessing %s was refused: %s", what,
                        ((Refused) f).refusal()))
                .onFailure(Refused.class).recoverWithItem((Void) null);
    }
}
