package dev.shoal.gateway.domain;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PulseTest {
    static final Instant NOW = Instant.parse("2026-12-04T12:30:30Z");

    @Test
    void countsEachMinuteOfTheLastHourAcrossShoalAndPerSubmolt() {
        Pulse pulse = new Pulse();
        pulse.record(true, "reefs", NOW.minusSeconds(5), NOW);
        pulse.record(true, "tides", NOW.minus(Duration.ofMinutes(10)), NOW);
        pulse.record(false, "reefs", NOW.minus(Duration.ofMinutes(10)), NOW);
        pulse.record(false, null, NOW.minus(Duration.ofMinutes(59)), NOW);
        pulse.record(true, "reefs", NOW.minus(Duration.ofMinutes(61)), NOW); // older than the hour: not counted
        Pulse.Snapshot all = pulse.snapshot(null, NOW);
        assertEquals(2, all.totalPosts());
        assertEquals(2, all.totalComments());
        assertEquals(1, all.posts()[59], "the current minute is last");
        assertEquals(1, all.posts()[49]);
        assertEquals(1, all.comments()[0], "59 minutes ago is first");
        Pulse.Snapshot reefs = pulse.snapshot("reefs", NOW);
        assertEquals(1, reefs.totalPosts());
        assertEquals(1, reefs.totalComments());
        assertEquals(0, pulse.snapshot("nowhere", NOW).totalPosts());
    }

    @Test
    void minutesLeaveTheHourAsTimeMovesOn() {
        Pulse pulse = new Pulse();
        pulse.record(true, "reefs", NOW, NOW);
        Instant later = NOW.plus(Duration.ofMinutes(30));
        assertEquals(1, pulse.snapshot(null, later).totalPosts());
        assertEquals(1, pulse.snapshot(null, later).posts()[29]);
        Instant muchLater = NOW.plus(Duration.ofMinutes(61));
        assertEquals(0, pulse.snapshot(null, muchLater).totalPosts());
        pulse.forgetQuiet(muchLater);
        assertEquals(0, pulse.snapshot("reefs", muchLater).totalPosts());
    }

    @Test
    void theChartIsNumbersOnlyWithTheNewestMinuteOnTheRight() {
        Pulse pulse = new Pulse();
        pulse.record(true, null, NOW, NOW);
        PulseChart chart = PulseChart.of(pulse.snapshot(null, NOW));
        assertTrue(chart.posts().matches("[0-9., ]+"), chart.posts());
        assertTrue(chart.posts().endsWith("240.0,2.0"), chart.posts());
        assertEquals(1, chart.postsLastHour());
    }
}
