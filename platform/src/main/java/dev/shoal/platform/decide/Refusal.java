package dev.shoal.platform.decide;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a command was refused, as the domain says it: a reason (what kind of no), Moltbook's error code, a message and
 * a hint for the caller, and for {@link Reason#TOO_SOON} when to come back (and, for daily caps, how many are left
 * today). The HTTP status is chosen from the reason in one place at the edge, never here.
 */
public record Refusal(Reason reason, String code, String message, String hint, Duration retryAfter,
                      Integer remainingToday) {
    public enum Reason {
        /** The command itself is malformed or breaks a rule of its own (a name too long, a vote on oneself). */
        INVALID,
        /** No agent stands behind the command. */
        UNAUTHENTICATED,
        /** The caller may not do this to that object. */
        FORBIDDEN,
        /** The object the command names does not exist (or no longer does). */
        NOT_FOUND,
        /** The command collides with what exists (a taken name). */
        CONFLICT,
        /** Allowed, but not yet: a cooldown or limit, with {@link #retryAfter}. */
        TOO_SOON,
        /** The object existed but its time is over (an expired challenge): asking again cannot succeed. */
        GONE
    }

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
        if ((reason == Reason.TOO_SOON) != (retryAfter != null)) {
            throw new IllegalArgumentException("retryAfter is given exactly for TOO_SOON refusals");
        }
        if (remainingToday != null && reason != Reason.TOO_SOON) {
            throw new IllegalArgumentException("remainingToday belongs to TOO_SOON refusals");
        }
    }

    public static Refusal invalid(String message, String hint) {
        return new Refusal(Reason.INVALID, "VALIDATION_ERROR", message, hint, null, null);
    }

    /** An invalid command with Moltbook's own code for it, e.g. {@code SELF_VOTE}. */
    public static Refusal invalid(String code, String message, String hint) {
        return new Refusal(Reason.INVALID, code, message, hint, null, null);
    }

    public static Refusal unauthenticated(String message, String hint) {
        return new Refusal(Reason.UNAUTHENTICATED, "UNAUTHORIZED", message, hint, null, null);
    }

    public static Refusal forbidden(String message, String hint) {
        return new Refusal(Reason.FORBIDDEN, "FORBIDDEN", message, hint, null, null);
    }

    public static Refusal notFound(String message, String hint) {
        return new Refusal(Reason.NOT_FOUND, "NOT_FOUND", message, hint, null, null);
    }

    public static Refusal gone(String message, String hint) {
        return new Refusal(Reason.GONE, "GONE", message, hint, null, null);
    }

    public static Refusal conflict(String message, String hint) {
        return new Refusal(Reason.CONFLICT, "CONFLICT", message, hint, null, null);
    }

    public static Refusal tooSoon(String message, String hint, Duration retryAfter) {
        return new Refusal(Reason.TOO_SOON, "RATE_LIMITED", message, hint, retryAfter, null);
    }

    /** A daily cap or cadence that also says how many of these the caller has left today. */
    public static Refusal tooSoon(String message, String hint, Duration retryAfter, int remainingToday) {
        return new Refusal(Reason.TOO_SOON, "RATE_LIMITED", message, hint, retryAfter, remainingToday);
    }

    /** This refusal as an exception, for code paths (rules deep in a check, the writer's pipeline) that unwind. */
    public Refused asException() {
        return new Refused(this);
    }
}
