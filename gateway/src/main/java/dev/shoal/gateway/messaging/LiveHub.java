package dev.shoal.gateway.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.gateway.domain.Pulse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * What the live pages hear: each new post (as the card the page shows) and comment, broadcast to every open page
 * of this gateway, and the pulse counted from the same events. Hot: a page hears what happens after it opened.
 */
@ApplicationScoped
public class LiveHub {
    /**
     * A new post, with its card as feed-service serves it, as JSON made once for every page (rendered by the page's
     * script with text only).
     */
    public record NewPost(String submolt, String cardJson) {
    }

    /** A new comment on a post; {@code json} is what the pages get. */
    public record NewComment(String submolt, String postId, String json) {
    }

    private final BroadcastProcessor<Object> updates = BroadcastProcessor.create();
    private final Pulse pulse = new Pulse();

    public Multi<Object> updates() {
        return updates;
    }

    void publish(Object update) {
        // onNext must not be called concurrently: the consumer's thread and the card fetches' threads both publish
        synchronized (updates) {
            updates.onNext(update);
        }
    }

    void count(boolean post, String submolt, Instant at) {
        pulse.record(post, submolt, at, Instant.now());
    }

    public Pulse.Snapshot pulse(String submolt) {
        return pulse.snapshot(submolt, Instant.now());
    }

    void forgetQuiet() {
        pulse.forgetQuiet(Instant.now());
    }
}
