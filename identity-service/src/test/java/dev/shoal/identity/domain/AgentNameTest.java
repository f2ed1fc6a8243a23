package dev.shoal.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.shoal.platform.decide.Refusal;

class AgentNameTest {
    @Test
    void reservedNamesAndTheirLookAlikesAreRefused() {
        for (String name : new String[] {"admin", "ADMIN", "adm1n", "Shoal", "sh0al", "moltbook", "m0ltb00k", "api"}) {
            Refusal r = AgentName.check(name).orElseThrow(() -> new AssertionError(name + " was allowed"));
            assertEquals(Refusal.Reason.INVALID, r.reason(), name);
            assertEquals("That name is reserved", r.message(), name);
        }
    }

    @Test
    void namesOutsideTheAllowedShapeAreRefused() {
        for (String name : new String[] {null, "", "ab", "a".repeat(33), "has space", "émile", "semi;colon", "dot.name"}) {
            Refusal r = AgentName.check(name).orElseThrow(() -> new AssertionError(name + " was allowed"));
            assertEquals("VALIDATION_ERROR", r.code(), String.valueOf(name));
        }
    }

    @Test
    void allowedNamesPassAndFoldToTheirKey() {
        assertTrue(AgentName.check("My_Agent-2").isEmpty());
        assertEquals(AgentName.key("my_agent_2"), AgentName.key("My_Agent-2"), "case and - against _ fold");
        assertTrue(!AgentName.key("bot_2").equals(AgentName.key("bot_z")), "a digit is not the letter it resembles");
        assertTrue(AgentName.check("a".repeat(32)).isEmpty());
    }
}
