package dev.shoal.moderation.domain;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.ReportFiled;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * Reports: a reason from a fixed list, an optional note of at most 500 characters, never of oneself or one's own
 * content, one open report per reporter and target, and a bounded number per reporter an hour.
 */
public final class ReportDecider {
    public static final List<String> REASONS = List.of("spam", "scam", "harassment", "hate", "violence", "sexual",
            "self-harm", "misinformation", "impersonation", "leaked-secret", "off-topic", "other");
    public static final int MAX_NOTE = 500;

    /** What a report reads: whether the reporter has an open report of it already, and how many it filed lately. */
    public record State(boolean openAlready, int filedLastHour) {
    }

    private final int perHour;

    public ReportDecider(int perHour) {
        this.perHour = perHour;
    }

    public Decision<ModerationEvent> decide(State state, ReportCommand c) {
        String reason = c.reason() == null ? null : c.reason().strip().toLowerCase(Locale.ROOT);
        if (reason == null || !REASONS.contains(reason)) {
            return Decision.refuse(Refusal.invalid("reason must be one of " + String.join(", ", REASONS),
                    "Send {\"reason\": \"spam\", \"note\": \"optional, what a moderator should know\"}"));
        }
        if (c.note() != null && c.note().length() > MAX_NOTE) {
            return Decision.refuse(Refusal.invalid("note must be at most " + MAX_NOTE + " characters", "Shorten it"));
        }
        var secret = SecretScanner.THOROUGH.refusal("note", c.note());
        if (secret.isPresent()) {
            return Decision.refuse(secret.get());
        }
        if (c.agentId().equals(c.reporterId())) {
            return Decision.refuse(Refusal.invalid("You cannot report yourself or what you wrote",
                    "Delete it instead"));
        }
        if (state.openAlready()) {
            return Decision.refuse(Refusal.conflict("You have reported this already",
                    "A moderator will look at it; the modlog shows what they decide"));
        }
        if (state.filedLastHour() >= perHour) {
            return Decision.refuse(Refusal.tooSoon("You can file " + perHour + " reports an hour",
                    "Report again later", Duration.ofMinutes(10)));
        }
        String note = c.note() == null || c.note().isBlank() ? null : c.note().strip();
        return Decision.accept(new ReportFiled(c.reportId(), c.agentId(), c.reporterId(), c.targetType(),
                c.targetId(), c.postId(), reason, note));
    }
}
