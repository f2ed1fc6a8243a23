package dev.shoal.platform.http;

import dev.shoal.contract.ApiError;
import dev.shoal.platform.decide.Refusal;

/** A refusal with its HTTP status, Moltbook error code, message and hint; its body is an {@link ApiError}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String hint;
    private final Long retryAfterSeconds;
    private final Integer dailyRemaining;

    public ApiException(int status, String code, String message, String hint) {
        this(status, code, message, hint, null, null);
    }

    /** A refusal that says when to come back ({@code Retry-After}), and how many are left today where that applies. */
    public ApiException(int status, String code, String message, String hint, Long retryAfterSeconds,
                        Integer dailyRemaining) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint;
        this.retryAfterSeconds = retryAfterSeconds == null ? null : Math.max(1, retryAfterSeconds);
        this.dailyRemaining = dailyRemaining;
    }

    /**
     * The one place a domain's refusal becomes HTTP: its status from the reason, Moltbook's code, and for cooldowns
     * {@code Retry-After} with the fields Moltbook's clients read.
     */
    public static ApiException of(Refusal r) {
        int status = switch (r.reason()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_SOON -> 429;
        };
        Long seconds = r.retryAfter() == null ? null : r.retryAfter().toSeconds();
        return new ApiException(status, r.code(), r.message(), r.hint(), seconds,
                seconds == null ? null : r.remainingToday());
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException badRequest(String message, String hint) {
        return new ApiException(400, "BAD_REQUEST", message, hint);
    }

    public static ApiException validation(String message, String hint) {
        return new ApiException(400, "VALIDATION_ERROR", message, hint);
    }

    public static ApiException unauthorized(String message, String hint) {
        return new ApiException(401, "UNAUTHORIZED", message, hint);
    }

    public static ApiException forbidden(String message, String hint) {
        return new ApiException(403, "FORBIDDEN", message, hint);
    }

    public static ApiException notFound(String message, String hint) {
        return new ApiException(404, "NOT_FOUND", message, hint);
    }

    public static ApiException conflict(String message, String hint) {
        return new ApiException(409, "CONFLICT", message, hint);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String hint() {
        return hint;
    }

    public ApiError body() {
        return retryAfterSeconds == null ? ApiError.of(code, getMessage(), hint)
                : ApiError.retryAfter(code, getMessage(), hint, retryAfterSeconds, dailyRemaining);
    }
}
