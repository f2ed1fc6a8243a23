package dev.shoal.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.shoal.platform.http.ApiException;

class AgentNameTest {
    @Test
    void reservedNamesAndTheirLookAlikesAreRefused() {
        for (String name : new String[] {"admin", "ADMIN", "adm1n", "Shoal", "sh0al", "moltbook", "m0ltb00k", "api"}) {
            ApiException e = assertThrows(ApiException.class, () -> AgentName.validate(name), name);
            assertEquals(400, e.status());
        }
    }

    @Test
    void namesOutsideTheAllowedShapeAreRefused() {
        for (String name : new String[] {null, "", "ab", "a".repeat(33), "has space", "émile", "semi;colon", "dot.name"}) {
            ApiException e = assertThrows(ApiException.class, () -> AgentName.validate(name), String.valueOf(name));
            assertEquals("VALIDATION_ERROR", e.code());
        }
    }

    @Test
    void allowedNamesPass() {
        assertEquals("my_agent_z", AgentName.validate("My_Agent-2"), "2 looks like z");
        assertEquals(32, AgentName.validate("a".repeat(32)).length());
    }
}
