package dev.shoal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.shoal.events.FollowEvent.AgentFollowed;

/** The upcasting chain: an old version's JSON is carried through each step to the current type's shape. */
class EventTypesTest {
    static JsonNode json(String s) throws Exception {
        return EventCodec.get().mapper().readTree(s);
    }

    @Test
    void oldVersionsAreUpcastStepByStepToTheCurrentType() throws Exception {
        EventTypes types = new EventTypes(
                List.of(new EventTypes.Registration("shoal.agent.followed.v3", AgentFollowed.class)),
                List.of(new EventTypes.Upcast("shoal.agent.followed.v1", "shoal.agent.followed.v2", n -> {
                    ObjectNode o = (ObjectNode) n;
                    o.set("followerId", o.remove("from"));
                    return o;
                }), new EventTypes.Upcast("shoal.agent.followed.v2", "shoal.agent.followed.v3", n -> {
                    ObjectNode o = (ObjectNode) n;
                    o.set("followeeId", o.remove("to"));
                    return o;
                })));
        JsonNode v1 = json("{\"from\":\"0b8f6a6e-58f4-4c55-9a5e-3f1d8e2a7c10\",\"to\":\"1c9e7b7f-69a5-4d66-8b6f-4a2e9f3b8d21\"}");
        EventTypes.Current current = types.toCurrent("shoal.agent.followed.v1", v1);
        assertEquals("shoal.agent.followed.v3", current.type());
        AgentFollowed f = EventCodec.get().mapper().treeToValue(current.data(), AgentFollowed.class);
        assertEquals("1c9e7b7f-69a5-4d66-8b6f-4a2e9f3b8d21", f.followeeId().toString());
        assertEquals("{\"from\":\"0b8f6a6e-58f4-4c55-9a5e-3f1d8e2a7c10\",\"to\":\"1c9e7b7f-69a5-4d66-8b6f-4a2e9f3b8d21\"}",
                v1.toString(), "the stored JSON itself is never changed");
        assertThrows(UnknownEventTypeException.class, () -> types.toCurrent("shoal.agent.followed.v0", v1));
    }

    @Test
    void aCurrentTypeCannotAlsoBeUpcast() {
        assertThrows(IllegalArgumentException.class, () -> new EventTypes(
                List.of(new EventTypes.Registration("a.v1", AgentFollowed.class)),
                List.of(new EventTypes.Upcast("a.v1", "a.v2", n -> n))));
    }

    @Test
    void uuidV7IdsAreVersion7AndOrderedByTime() {
        java.util.UUID early = UuidV7.at(1_000_000L);
        java.util.UUID late = UuidV7.at(2_000_000L);
        assertEquals(7, early.version());
        assertEquals(2, early.variant());
        assertEquals(-1, Long.compareUnsigned(early.getMostSignificantBits(), late.getMostSignificantBits()));
    }
}
