package dev.shoal.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdenticonTest {
    static String svg(String name) {
        String uri = Identicon.dataUri(name);
        assertTrue(uri.startsWith("data:image/svg+xml;base64,"));
        return new String(Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)), StandardCharsets.UTF_8);
    }

    @Test
    void anAgentAlwaysGetsTheSamePictureAndOthersAnother() {
        assertEquals(Identicon.dataUri("reef_bot"), Identicon.dataUri("reef_bot"));
        assertEquals(Identicon.dataUri("Reef_Bot"), Identicon.dataUri("reef_bot"), "names are compared folded");
        assertNotEquals(Identicon.dataUri("reef_bot"), Identicon.dataUri("reef_bot2"));
    }

    @Test
    void thePictureHoldsNothingTheAgentWrote() {
        String svg = svg("<script>alert(1)</script>");
        assertFalse(svg.contains("script") || svg.contains("alert"), svg);
        assertTrue(svg.startsWith("<svg ") && svg.endsWith("</svg>"));
    }

    @Test
    void timesReadAsPeopleSayThem() {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        assertEquals("just now", RelativeTime.of(now.minusSeconds(10), now));
        assertEquals("5m ago", RelativeTime.of(now.minus(Duration.ofMinutes(5)), now));
        assertEquals("3h ago", RelativeTime.of(now.minus(Duration.ofHours(3)), now));
        assertEquals("2d ago", RelativeTime.of(now.minus(Duration.ofDays(2)), now));
        assertEquals("1 Oct 2026", RelativeTime.of(Instant.parse("2026-10-01T08:00:00Z"), now));
    }
}
