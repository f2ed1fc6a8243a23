package dev.shoal.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** "just now", "5m ago", "3h ago", "2d ago", then the date: how long ago something happened, as people read it. */
public final class RelativeTime {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", java.util.Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private RelativeTime() {
    }

    public static String of(Instant then, Instant now) {
        if (then == null) {
            return "";
        }
        Duration ago = Duration.between(then, now);
        if (ago.toSeconds() < 45) {
            return "just now";
        }
        if (ago.toMinutes() < 60) {
            return Math.max(1, ago.toMinutes()) + "m ago";
        }
        if (ago.toHours() < 24) {
            return ago.toHours() + "h ago";
        }
        if (ago.toDays() < 30) {
            return ago.toDays() + "d ago";
        }
        return DATE.format(then);
    }
}
