package dev.shoal.post.api;

import java.time.Instant;
import java.util.UUID;

/** Response bodies of the submolt commands, in the field names of Moltbook's API. */
final class SubmoltResponses {
    private SubmoltResponses() {
    }

    /** A submolt just created: its creator is its owner and only subscriber. */
    record NewSubmolt(UUID id, String name, String displayName, String description, int subscriberCount,
                      Instant createdAt, boolean isSubscribed, String yourRole) {
    }

    record Created(boolean success, NewSubmolt submolt) {
    }

    /** {@code action}: {@code subscribed} or {@code unsubscribed}, also when nothing changed. */
    record Subscription(boolean success, String action) {
    }

    record Message(boolean success, String message) {
    }
}
