package dev.shoal.post.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.shoal.post.domain.Submolts;
import io.quarkus.runtime.StartupEvent;

/** Makes sure {@code general} exists from the first start, as on Moltbook (a system event on the log). */
@ApplicationScoped
public class GeneralSubmolt {
    void onStart(@Observes StartupEvent event, Submolts submolts) {
        submolts.ensureGeneral();
    }
}
