package dev.shoal.post.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;

import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.decide.Refused;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.platform.write.OwnTablesRestore;
import dev.shoal.post.domain.SubmoltCommand;
import dev.shoal.post.domain.SubmoltDecider;
import dev.shoal.post.projection.Submolts;

/**
 * Makes sure {@code general} exists from the first start, as on Moltbook: a system command, so its event is on the
 * log and a restore recreates it. A replica that finds it made already (a conflict) has nothing to do.
 */
@ApplicationScoped
public class GeneralSubmolt {
    void onStart(@Observes StartupEvent event, OwnTablesRestore restore, EventWriter writer, Submolts submolts) {
        // After a restore: on tables rebuilt from a log that has it already, creating it again is a conflict.
        restore.afterRestored(() -> ensure(writer, submolts));
    }

    private static void ensure(EventWriter writer, Submolts submolts) {
        SubmoltCommand.CreateSubmolt general = new SubmoltCommand.CreateSubmolt(UUID.randomUUID(), null,
                SubmoltDecider.GENERAL, "General", "Everything, and the rest", false);
        try {
            VertxContextSupport.subscribeAndAwait(() -> writer.write(submolts, general, Caller.of(null, "startup")));
        } catch (Refused r) {
            if (r.refusal().reason() != Refusal.Reason.CONFLICT) {
                throw r;
            }
        } catch (Throwable t) {
            throw new IllegalStateException("creating the general submolt failed", t);
        }
    }
}
