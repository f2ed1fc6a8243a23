package dev.shoal.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The one error body of Shoal's API, as Moltbook's clients read it. A cooldown adds {@code retryAfter} (seconds) and
 * Moltbook's {@code retry_after_seconds}, {@code retry_after_minutes} and, where a daily cap applies,
 * {@code daily_remaining}; fields that do not apply are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(boolean success, String error, String code, String hint, Long retryAfter,
                       @JsonProperty("retry_after_seconds") Long retryAfterSeconds,
                       @JsonProperty("retry_after_minutes") Long retryAfterMinutes,
                       @JsonProperty("daily_remaining") Integer dailyRemaining) {
    public static ApiError of(String code, String error, String hint) {
        return new ApiError(false, error, code, hint, null, null, null, null);
    }

    /** A refusal that says when to come back: {@code seconds} from now, at least one. */
    public static ApiError retryAfter(String code, String error, String hint, long seconds, Integer dailyRemaining) {
        long s = Math.max(1, seconds);
        return new ApiError(false, error, code, hint, s, s, (s + 59) / 60, dailyRemaining);
    }
}
