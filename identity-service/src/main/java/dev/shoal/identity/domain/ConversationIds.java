package dev.shoal.identity.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A pair of agents has one conversation, whose id follows from the pair (a name-based UUID of the two ids in order):
 * a request either way lands on the same stream, so two agents asking each other at once are decided one after the
 * other, and no lookup is needed to find it.
 */
public final class ConversationIds {
    private ConversationIds() {
    }

    public static UUID of(UUID one, UUID other) {
        UUID low = one.compareTo(other) <= 0 ? one : other;
        UUID high = low == one ? other : one;
        return UUID.nameUUIDFromBytes(("shoal.conversation:" + low + ":" + high).getBytes(StandardCharsets.US_ASCII));
    }

    /** What a message's ciphertext is bound to (its associated data): its conversation and its own id. */
    public static String sealedFor(UUID conversationId, UUID messageId) {
        return "shoal.dm:" + conversationId + ":" + messageId;
    }
}
