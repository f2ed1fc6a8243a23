package dev.shoal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.events.FollowEvent.AgentFollowed;
import dev.shoal.events.VoteEvent.VoteCast;

/** The sealed families are the catalogue: every record in them has a type, and each family keeps to its topic. */
class EventFamiliesTest {
    /** Every record reachable from {@link ShoalEvent} through the sealed hierarchy. */
    static List<Class<?>> records() {
        List<Class<?>> out = new ArrayList<>();
        List<Class<?>> todo = new ArrayList<>(List.of(ShoalEvent.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(0);
            if (c.isRecord()) {
                out.add(c);
            } else {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            }
        }
        return out;
    }

    @Test
    void everyRecordOfEveryFamilyIsARegisteredTypeAndNothingElseIs() {
        Set<Class<?>> registered = new HashSet<>(EventTypes.current().values());
        Set<Class<?>> inFamilies = new HashSet<>(records());
        assertEquals(registered, inFamilies);
    }

    @Test
    void aFamilysEventsGoToItsTopicWrittenByItsOwnerKeyedByTheAggregate() {
        UUID follower = UUID.randomUUID();
        AgentFollowed f = new AgentFollowed(follower, UUID.randomUUID());
        assertEquals(Topic.IDENTITY, f.topic());
        assertEquals(follower.toString(), f.subject());
        EventEnvelope e = EventEnvelope.of(f, follower.toString(), "req", java.time.Instant.now());
        assertEquals("identity-service", e.source());
        UUID post = UUID.randomUUID();
        VoteCast v = new VoteCast(VoteEvent.Target.POST, post, UUID.randomUUID(), UUID.randomUUID(), 1);
        assertEquals(Topic.VOTES, v.topic());
        assertEquals(post.toString(), v.subject());
        assertEquals("post-service", EventEnvelope.of(v, "a", "r", java.time.Instant.now()).source());
    }

    @Test
    void kindsTravelAsMoltbooksLowercaseNames() {
        VoteCast v = new VoteCast(VoteEvent.Target.COMMENT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), -1);
        String json = new String(EventCodec.get().encode(v), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"targetType\":\"comment\""), json);
    }
}
