package dev.shoal.platform.write;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.FlushMode;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ShoalEvent;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refused;
import dev.shoal.platform.http.ApiException;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.http.ReadYourWrites;

/**
 * The one writer of a service's own tables. For each command, in one reactive transaction: lock the command's stream,
 * load the state, decide, then for each event apply it to the tables ({@link WriteModel#evolve}) and append it to
 * the outbox with the stream's next version, which the same statement records as the stream's. A refusal rolls
 * everything back and fails the result with {@link dev.shoal.platform.decide.Refused}. Two commands on one stream run
 * one after the other, so their events reach the outbox, and the topic's partition, in the order of their versions.
 * Commands on a {@link WriteModel#sharedStream} that arrive while this JVM holds their stream wait here and then run
 * together, one after the other in one transaction ({@link #enqueue}).
 * While {@link OwnTablesRestore} rebuilds the tables from the log, it refuses every command (503).
 *
 * <p>Every statement here is a native mutation or an entity read: Hibernate caches the interpretation of each native
 * select with a result type under a key that never equals the last one's, so such queries would fill its cache and
 * slow every later one (measured: a vote's CPU rose from ~1 ms to over 7 ms within minutes).
 */
@ApplicationScoped
public class EventWriter {
    /** Commands one transaction of a group runs at most; the rest wait for the next. */
    static final int MAX_GROUP = 64;

    private final OwnTablesRestore restore;
    /** Per stream with a group running in this JVM, the commands waiting for it (guarded by itself). */
    private final Map<StreamId, ArrayDeque<Pending<?, ?, ?>>> waiting = new HashMap<>();
    private final AtomicLong joined = new AtomicLong();

    public EventWriter(OwnTablesRestore restore, MeterRegistry registry) {
        this.restore = restore;
        FunctionCounter.builder("shoal.writes.joined", joined, AtomicLong::get)
                .description("Commands that ran in a transaction an earlier command on their stream opened")
                .register(registry);
        Gauge.builder("shoal.writes.waiting", this, EventWriter::waiting)
                .description("Commands waiting in this JVM for a transaction on their stream to end").register(registry);
    }

    public <S, C, E extends ShoalEvent> Uni<Written<S, E>> write(WriteModel<S, C, E> model, C command, Caller caller) {
        StreamId shared = model.sharedStream(command);
        Context context = Vertx.currentContext();
        Uni<Written<S, E>> written = shared == null || context == null || !Context.isOnEventLoopThread()
                ? run(model, command, caller, false)
                : Uni.createFrom().emitter(answer -> enqueue(shared, new Pending<>(model, command, caller, answer,
                        context)));
        return written.invoke(w -> {
            // Committed: the answer names the last event, so this agent's next reads can wait for it.
            if (!w.envelopes().isEmpty()) {
                ReadYourWrites.written(w.events().getLast().topic(), w.envelopes().getLast());
            }
        });
    }

    /** Commands that ran in a transaction an earlier command on their stream had opened, since start. */
    public long joined() {
        return joined.get();
    }

    /** Commands waiting in this JVM for a transaction on their stream to end. */
    public int waiting() {
        synchronized (waiting) {
            return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
        }
    }

    /**
     * Runs {@code command} exactly as {@link #write} does (lock, load, decide, evolve, outbox) and then rolls the
     * transaction back: nothing is kept and nothing reaches the log. A service rehearses its latency-critical commands
     * at start, so that the first real one does not pay for the JIT, Hibernate's first parse of each query and the
     * pool's first connections (measured: moderation's first decision took 2 s on a fresh JVM, later ones 20-40 ms).
     */
    public <S, C, E extends ShoalEvent> Uni<Written<S, E>> rehearse(WriteModel<S, C, E> model, C command,
                                                                    Caller caller) {
        return run(model, command, caller, true);
    }

    private <S, C, E extends ShoalEvent> Uni<Written<S, E>> run(WriteModel<S, C, E> model, C command, Caller caller,
                                                                boolean rollback) {
        if (!restore.restored()) {
            // Deciding on half-restored tables would contradict the log (a name taken twice, a vote counted twice).
            return Uni.createFrom().failure(new ApiException(503, "SERVICE_UNAVAILABLE",
                    "This service is restoring its tables from the log", "Try again when it is ready"));
        }
        return Panache.withTransaction(() -> Panache.getSession().invoke(EventWriter::flushAtCommit).flatMap(
                session -> model.stream(command).flatMap(stream -> lock(session, stream).flatMap(
                        row -> record(session, row, stream, model, command, caller)).call(written -> rollback
                        ? session.flush().call(() -> Panache.currentTransaction()
                                .invoke(Mutiny.Transaction::markForRollback))
                        : Uni.createFrom().voidItem()))));
    }

    /**
     * One command on its locked stream: load the state, decide, then for each event apply it to the tables and append
     * it to the outbox with the stream's next version. A refusal fails the result with {@link Refused} before any
     * write.
     */
    private static <S, C, E extends ShoalEvent> Uni<Written<S, E>> record(
            Mutiny.Session session, EventStreamRow row, StreamId stream, WriteModel<S, C, E> model, C command,
            Caller caller) {
        return model.load(command).flatMap(state -> {
            // Read after every lock is held, so it is never before the time of the command that held one before (a
            // cooldown of zero would otherwise refuse); microseconds, as PostgreSQL stores them.
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Decision<E> decision = model.decide(state, command, now);
            List<E> events = decision.eventsOrThrow();
            List<EventEnvelope> envelopes = new ArrayList<>(events.size());
            Uni<Void> steps = Uni.createFrom().voidItem();
            long next = row.version;
            for (E event : events) {
                if (event.topic() != stream.topic() || !event.subject().equals(stream.subject())) {
                    throw new IllegalStateException(event.getClass().getSimpleName() + " for " + event.topic() + "/"
                            + event.subject() + " decided on stream " + stream);
                }
                EventEnvelope envelope = EventEnvelope.of(event, caller.actor(), caller.requestId(), now, ++next);
                envelopes.add(envelope);
                steps = steps.chain(() -> model.evolve(event, envelope)).chain(() -> append(session, event, envelope));
            }
            if (!events.isEmpty()) {
                // append wrote it to the table; the (read-only) entity follows, for the next command on this stream
                long last = next;
                steps = steps.invoke(() -> row.version = last);
            }
            return steps.replaceWith(() -> new Written<>(state, events, envelopes, now));
        });
    }

    /**
     * Commands on one shared stream queue here, in this JVM, rather than on the stream's row lock in PostgreSQL, each
     * holding a connection and a transaction while it waits: the first runs at once, and the ones that arrive while a
     * transaction holds the stream run together in the next, under one lock and one commit. Votes on a hot post
     * otherwise queue on its lock (measured: that lock's wait was half of PostgreSQL's time in the heartbeat).
     */
    private void enqueue(StreamId stream, Pending<?, ?, ?> command) {
        boolean lead;
        synchronized (waiting) {
            ArrayDeque<Pending<?, ?, ?>> queue = waiting.get(stream);
            lead = queue == null;
            if (lead) {
                waiting.put(stream, new ArrayDeque<>());
            } else {
                queue.add(command);
            }
        }
        if (lead) {
            runGroup(stream, List.of(command));
        }
    }

    /** Runs one group, answers each of its commands, then the next group of those that came meanwhile, if any. */
    private void runGroup(StreamId stream, List<Pending<?, ?, ?>> group) {
        group(stream, group).subscribe().with(done -> next(stream), failure -> next(stream));
    }

    private void next(StreamId stream) {
        List<Pending<?, ?, ?>> group = new ArrayList<>();
        synchronized (waiting) {
            ArrayDeque<Pending<?, ?, ?>> queue = waiting.get(stream);
            while (!queue.isEmpty() && group.size() < MAX_GROUP) {
                group.add(queue.poll());
            }
            if (group.isEmpty()) {
                waiting.remove(stream);
                return;
            }
        }
        runGroup(stream, group);
    }

    /**
     * One transaction for the group: the stream's lock, then each command in its turn; a refusal answers only its
     * command. If the transaction fails as a whole (nothing of it was kept), each command runs again on its own, so one
     * command's failure is never another's.
     */
    private Uni<Void> group(StreamId stream, List<Pending<?, ?, ?>> group) {
        if (!restore.restored()) {
            ApiException restoring = new ApiException(503, "SERVICE_UNAVAILABLE",
                    "This service is restoring its tables from the log", "Try again when it is ready");
            group.forEach(p -> p.answer(null, restoring));
            return Uni.createFrom().voidItem();
        }
        Uni<Void> together = Panache.withTransaction(() -> Panache.getSession().invoke(EventWriter::flushAtCommit)
                .flatMap(session -> lock(session, stream).flatMap(row -> {
                    Uni<Void> steps = Uni.createFrom().voidItem();
                    for (Pending<?, ?, ?> p : group) {
                        steps = steps.chain(() -> p.record(session, row, stream));
                    }
                    return steps;
                })));
        return together.onItemOrFailure().transformToUni((ok, failure) -> {
            if (failure == null) {
                joined.addAndGet(group.size() - 1);
                group.forEach(Pending::answer);
                return Uni.createFrom().voidItem();
            }
            if (group.size() == 1) {
                group.getFirst().answer(null, failure);
                return Uni.createFrom().voidItem();
            }
            Uni<Void> alone = Uni.createFrom().voidItem();
            for (Pending<?, ?, ?> p : group) {
                alone = alone.chain(p::alone);
            }
            return alone;
        });
    }

    /** A command waiting for its shared stream, and where its answer goes (on its caller's own Vert.x context). */
    private final class Pending<S, C, E extends ShoalEvent> {
        private final WriteModel<S, C, E> model;
        private final C command;
        private final Caller caller;
        private final UniEmitter<? super Written<S, E>> emitter;
        private final Context context;
        private Written<S, E> written;
        private Throwable refusal;

        Pending(WriteModel<S, C, E> model, C command, Caller caller, UniEmitter<? super Written<S, E>> emitter,
                Context context) {
            this.model = model;
            this.command = command;
            this.caller = caller;
            this.emitter = emitter;
            this.context = context;
        }

        /** Its turn in the group's transaction; a refusal is kept for its answer and the group goes on. */
        Uni<Void> record(Mutiny.Session session, EventStreamRow row, StreamId stream) {
            return EventWriter.record(session, row, stream, model, command, caller).invoke(w -> written = w)
                    .replaceWithVoid().onFailure(Refused.class).recoverWithUni(refused -> {
                        refusal = refused;
                        return Uni.createFrom().voidItem();
                    });
        }

        /** Runs it in a transaction of its own, and answers. */
        Uni<Void> alone() {
            return run(model, command, caller, false).onItemOrFailure().invoke((w, failure) -> answer(w, failure))
                    .replaceWithVoid().onFailure().recoverWithNull();
        }

        void answer() {
            answer(written, refusal);
        }

        void answer(Written<S, E> done, Throwable failure) {
            context.runOnContext(ignored -> {
                if (failure != null) {
                    emitter.fail(failure);
                } else {
                    emitter.complete(done);
                }
            });
        }
    }

    /**
     * A command's statements run in a fixed order: its reads (the stream's lock, {@link WriteModel#load}) come before
     * its writes, and no write reads back or bulk-changes a row an earlier event of the same command wrote. So the
     * session needs to flush once, at commit, not before each of the command's native statements (the lock, the vote
     * upsert, the outbox insert), each of which would otherwise dirty-check every entity it holds.
     */
    private static void flushAtCommit(Mutiny.Session session) {
        session.setFlushMode(FlushMode.COMMIT);
    }

    /**
     * Locks the stream's row until commit (SELECT ... FOR UPDATE); a stream's first command creates it at version 0
     * with an upsert, which takes the row lock whether it inserts or not, so two first commands on a new stream also
     * queue. Answers the row, read-only: {@link #append} advances the stream's version in the table itself.
     */
    private static Uni<EventStreamRow> lock(Mutiny.Session session, StreamId stream) {
        EventStreamRow.Key key = new EventStreamRow.Key(stream.topic().id(), stream.subject());
        return session.find(EventStreamRow.class, key, LockMode.PESSIMISTIC_WRITE).chain(row -> row != null
                ? Uni.createFrom().item(row)
                : session.createNativeQuery("""
                                INSERT INTO event_stream (topic, subject, version) VALUES (:topic, :subject, 0)
                                ON CONFLICT (topic, subject) DO UPDATE SET version = event_stream.version""")
                        .setParameter("topic", key.topic())
                        .setParameter("subject", key.subject())
                        .executeUpdate()
                        .chain(() -> session.find(EventStreamRow.class, key)))
                // Read-only: append moves the version, so the flush at commit neither checks nor updates it.
                .invoke(row -> session.setReadOnly(row, true));
    }

    /**
     * Appends one event to the outbox and, in the same statement, makes its version the stream's (one round trip
     * where an entity update at commit would be a second one: a vote is a handful of statements in all).
     */
    private static Uni<Void> append(Mutiny.Session session, ShoalEvent event, EventEnvelope e) {
        return session.createNativeQuery("""
                        WITH stream AS (UPDATE event_stream SET version = :version
                                        WHERE topic = :topic AND subject = :subject)
                        INSERT INTO outbox (event_id, topic, source, type, subject, occurred_at, actor, correlation_id,
                                            aggregate_version, data)
                        VALUES (:id, :topic, :source, :type, :subject, :time, :actor, :correlation, :version, :data)""")
                .setParameter("id", e.id())
                .setParameter("topic", event.topic().id())
                .setParameter("source", e.source())
                .setParameter("type", e.type())
                .setParameter("subject", e.subject())
                .setParameter("time", e.time().atOffset(ZoneOffset.UTC))
                .setParameter("actor", e.actor())
                .setParameter("correlation", e.correlationId())
                .setParameter("version", e.aggregateVersion())
                .setParameter("data", e.data())
                .executeUpdate().replaceWithVoid();
    }
}
