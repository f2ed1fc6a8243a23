package dev.shoal.platform.write;

import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs a service's latency-critical path once at start, off the start-up thread, on a Vert.x context as Hibernate
 * Reactive needs (the writes in it through {@link EventWriter#rehearse}, rolled back), so that the first real event
 * does not pay for the JIT, Hibernate's first parse of each query and the pool's first connections. Tried for a
 * minute, as a projection may still be creating its schema; a failure only means the first real one is slower.
 */
public final class Rehearsal {
    private static final Logger LOG = Logger.getLogger(Rehearsal.class);

    private Rehearsal() {
    }

    /** Starts rehearsing {@code what} in the background; logs how long it took, or why it could not. */
    public static void inBackground(String what, Supplier<Uni<?>> work) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            long began = System.nanoTime();
            try {
                VertxContextSupport.subscribeAndAwait(() -> Uni.createFrom().deferred(work)
                        .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2))
                        .expireIn(Duration.ofMinutes(1).toMillis()));
                LOG.infof("rehearsed %s in %d ms (rolled back)", what,
                        Duration.ofNanos(System.nanoTime() - began).toMillis());
            } catch (Throwable e) {
                LOG.warnf("could not rehearse %s; the first real one will be slower: %s", what, e.toString());
            }
        });
    }
}
