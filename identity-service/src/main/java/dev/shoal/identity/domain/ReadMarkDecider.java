package dev.shoal.identity.domain;

import java.time.Duration;
import java.time.Instant;

import dev.shoal.events.NotificationEvent;
import dev.shoal.events.NotificationEvent.NotificationsRead;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/**
 * Read marks: only an existing agent marks, and only what has happened. {@code upTo} is the time of a notification
 * the agent was shown, so one from the future (beyond a little clock skew between hosts) or from before 1970 is a
 * caller's mistake, and is refused rather than recorded where every reader would have to cope with it.
 */
public final class ReadMarkDecider implements Decider<Boolean, ReadMarkCommand, NotificationEvent> {
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    /** @param agentKnown whether the marking agent's account exists */
    @Override
    public Decision<NotificationEvent> decide(Boolean agentKnown, ReadMarkCommand command, Instant now) {
        if (!agentKnown) {
            return Decision.refuse(AgentDecider.UNKNOWN_AGENT);
        }
        if (command.upTo() == null) {
            return Decision.refuse(Refusal.invalid("up_to is required", "Send the time of the newest notification read"));
        }
        if (command.upTo().isBefore(Instant.EPOCH) || command.upTo().isAfter(now.plus(CLOCK_SKEW))) {
            return Decision.refuse(Refusal.invalid("up_to is not the time of a notification",
                    "Mark only notifications you were shown"));
        }
        return Decision.accept(new NotificationsRead(command.agentId(), command.postId(), command.upTo()));
    }
}
