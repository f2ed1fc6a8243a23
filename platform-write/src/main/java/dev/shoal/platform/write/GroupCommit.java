package dev.shoal.platform.write;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import org.hibernate.reactive.mutiny.Mutiny;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.shoal.events.ShoalEvent;
import dev.shoal.platform.decide.Refused;
import dev.shoal.platform.http.Caller;

/**
 * Group commit for one {@link WriteModel}: commands that arrive while {@link Settings#maxTransactions()} of its
 * transactions are in flight queue, and the next transaction runs up to {@link Settings#maxCommands()} of them, so
 * one BEGIN, one COMMIT (one WAL flush) and one outbox notification serve them all. Under light load a transaction
 * holds one command and nothing waits.
 *
 * <p>Each command is still recorded as if alone: its stream is locked, its state loaded, its rule decided, and its
 * statements flushed before the next one reads. The streams are locked in one order (topic, subject), so two group
 * transactions never deadlock; the model takes no other lock ({@link WriteModel#groupCommit()}). A refusal fails
 * only its own command. Any other failure before the commit rolls the group back, and each command runs again alone,
 * so one bad command cannot fail its neighbours. A failed commit fails them all: the outcome is unknown, and running a
 * toggle again could apply it twice.
 */
final class GroupCommit<S, C, E extends ShoalEvent> {
    record Settings(int maxCommands, int maxTransactions) {
        Settings {
            if (maxCommands < 1 || maxTransactions < 1) {
                throw new IllegalArgumentException("group commit needs at least one command and one transaction");
            }
        }
    }

    private record Pending<S, C, E extends ShoalEvent>(C command, Caller caller, int arrival,
                                                       UniEmitter<? super Written<S, E>> result) {
    }

    /** A command that took part in a group, and what became of it. */
    private record Outcome<S, C, E extends ShoalEvent>(Pending<S, C, E> pending, Written<S, E> written,
                                                       Throwable refusal) {
        void settle() {
            if (refusal != null) {
                pending.result().fail(refusal);
            } else {
                pending.result().complete(written);
            }
        }
    }

    /** Rolls a group back without a commit, so its commands run again alone. */
    private static final class Abandoned extends RuntimeException {
        Abandoned(Throwable cause) {
            super(cause);
        }
    }

    private static final Comparator<StreamedPending<?, ?, ?>> LOCK_ORDER = Comparator
            .<StreamedPending<?, ?, ?>, String>comparing(p -> p.stream().topic().id())
            .thenComparing(p -> p.stream().subject())
            .thenComparingInt(p -> p.pending().arrival());

    private record StreamedPending<S, C, E extends ShoalEvent>(Pending<S, C, E> pending, StreamId stream) {
    }

    private final EventWriter writer;
    private final WriteModel<S, C, E> model;
    private final Settings settings;
    private final DistributionSummary sizes;
    private final ArrayDeque<Pending<S, C, E>> queue = new ArrayDeque<>();
    private int inFlight;
    private int arrivals;

    GroupCommit(EventWriter writer, WriteModel<S, C, E> model, Settings settings, MeterRegistry registry) {
        this.writer = writer;
        this.model = model;
        this.settings = settings;
        this.sizes = DistributionSummary.builder("shoal.write.group.commands")
                .description("commands per group-commit transaction; its count is the transactions")
                .tag("model", ClientProxy.unwrap(model).getClass().getSimpleName())
                .register(registry);
    }

    /** Runs the command in the next group; the answer comes back on the caller's Vert.x context. */
    Uni<Written<S, E>> submit(C command, Caller caller) {
        Context origin = Vertx.currentContext();
        if (origin == null) {
            return writer.alone(model, command, caller);
        }
        return Uni.createFrom().<Written<S, E>>emitter(result -> {
            synchronized (this) {
                queue.add(new Pending<>(command, caller, arrivals++, result));
            }
            drain(origin);
        }).emitOn(task -> origin.runOnContext(ignored -> task.run()));
    }

    private void drain(Context origin) {
        while (true) {
            List<Pending<S, C, E>> group;
            synchronized (this) {
                if (queue.isEmpty() || inFlight >= settings.maxTransactions()) {
                    return;
                }
                group = new ArrayList<>(Math.min(queue.size(), settings.maxCommands()));
                while (!queue.isEmpty() && group.size() < settings.maxCommands()) {
                    group.add(queue.poll());
                }
                inFlight++;
            }
            onNewContext(origin, () -> run(group)).subscribe().with(
                    ignored -> finished(origin), failure -> finished(origin));
        }
    }

    private void finished(Context origin) {
        synchronized (this) {
            inFlight--;
        }
        drain(origin);
    }

    private Uni<Void> run(List<Pending<S, C, E>> group) {
        sizes.record(group.size());
        if (group.size() == 1) {
            return alone(group.getFirst());
        }
        boolean[] recorded = {false};
        return Panache.withTransaction(() -> Panache.getSession().invoke(EventWriter::flushAtCommit)
                        .chain(session -> streams(group).chain(streamed -> {
                            Uni<List<Outcome<S, C, E>>> steps = Uni.createFrom().item(ArrayList::new);
                            for (StreamedPending<S, C, E> next : streamed) {
                                steps = steps.chain(outcomes -> record(session, next).invoke(outcomes::add)
                                        .replaceWith(outcomes));
                            }
                            return steps.invoke(() -> recorded[0] = true);
                        })))
                .invoke(outcomes -> outcomes.forEach(Outcome::settle))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    if (recorded[0]) {
                        group.forEach(p -> p.result().fail(failure));
                        return Uni.createFrom().voidItem();
                    }
                    return Multi.createFrom().iterable(group).onItem().transformToUniAndConcatenate(this::alone)
                            .collect().last().replaceWithVoid();
                });
    }

    /** The group's commands with their streams, in lock order. */
    private Uni<List<StreamedPending<S, C, E>>> streams(List<Pending<S, C, E>> group) {
        return Multi.createFrom().iterable(group).onItem().transformToUniAndConcatenate(
                        p -> model.stream(p.command()).map(stream -> new StreamedPending<>(p, stream)))
                .collect().asList()
                .map(streamed -> {
                    streamed.sort(LOCK_ORDER);
                    return streamed;
                })
                .onFailure().transform(Abandoned::new);
    }

    /**
     * Records one command of the group and flushes it, then empties the session, so the next command (maybe on the
     * same stream, by the same agent) reads the rows this one wrote, not the entities it loaded before.
     */
    private Uni<Outcome<S, C, E>> record(Mutiny.Session session, StreamedPending<S, C, E> next) {
        Pending<S, C, E> p = next.pending();
        return writer.record(session, model, p.command(), p.caller(), next.stream())
                .call(session::flush)
                .map(written -> new Outcome<>(p, written, null))
                .onFailure(Refused.class).recoverWithUni(refusal -> forgetNewStream(session, next.stream())
                        .replaceWith(new Outcome<>(p, null, refusal)))
                .onFailure(failure -> !(failure instanceof Abandoned)).transform(Abandoned::new)
                .invoke(session::clear);
    }

    /**
     * A refused command wrote nothing but its stream's row; alone, its rollback would drop a row it created, so
     * here the row goes if it holds no event (votes on ids that do not exist would otherwise fill the table).
     */
    private static Uni<Void> forgetNewStream(Mutiny.Session session, StreamId stream) {
        session.clear();
        return session.createNativeQuery(
                        "DELETE FROM event_stream WHERE topic = :topic AND subject = :subject AND version = 0")
                .setParameter("topic", stream.topic().id())
                .setParameter("subject", stream.subject())
                .executeUpdate().replaceWithVoid();
    }

    private Uni<Void> alone(Pending<S, C, E> p) {
        return writer.alone(model, p.command(), p.caller()).onItemOrFailure().invoke((written, failure) -> {
            if (failure != null) {
                p.result().fail(failure);
            } else {
                p.result().complete(written);
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Runs the work on a fresh duplicated context of the caller's event loop, flagged safe for Hibernate Reactive,
     * so a group's session is its own and never a request's.
     */
    private static <T> Uni<T> onNewContext(Context origin, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(result -> {
            Context context = VertxContext.createNewDuplicatedContext(origin);
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> work.get().subscribe().with(result::complete, result::fail));
        });
    }
}
