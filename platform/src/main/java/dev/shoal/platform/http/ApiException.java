package dev.shoal.platform.http;

import dev.shoal.platform.decide.Refusal;

/** A refusal with its HTTP status, Moltbook error code, message and hint; mapped to {@link ApiError}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String hint;
    private final Long retryAfterSeconds;
    private final java.util.Map<String, Object> extra;

    public ApiException(int status, String code, String message, String hint) {
        this(status, code, message, hint, null, java.util.Map.of());
    }

    /** A refusal that says when to come back ({@code Retry-After}) and carries Moltbook's extra fields. */
    public ApiException(int status, String code, String message, String hint, Long retryAfterSeconds,
                        java.util.Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint;
        this.retryAfterSeconds = retryAfterSeconds;
        this.extra = java.util.Map.copyOf(extra);
    }

    /**
     * The one place a domain's refusal becomes HTTP: its status from the reason, Moltbook's code, and for cooldowns
     * {@code Retry-After} with the fields Moltbook's clients read ({@code retry_after_seconds},
     * {@code retry_after_minutes}, and {@code daily_remaining} where a daily cap applies).
     */
    public static ApiException of(Refusal r) {
        int status = switch (r.reason()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_SOON -> 429;
        };
        if (r.retryAfter() == null) {
            return new ApiException(status, r.code(), r.message(), r.hint());
        }
        long seconds = Math.max(1, r.retryAfter().toSeconds());
        java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>();
        extra.put("retry_after_seconds", seconds);
        extra.put("retry_after_minutes", (seconds + 59) / 60);
        if (r.remainingToday() != null) {
            extra.put("daily_remaining", r.remainingToday());
        }
        return new ApiException(status, r.code(), r.message(), r.hint(), seconds, extra);
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

    /** The error body: {@link ApiError}'s fields, then any extra ones. */
    public Object body() {
        ApiError base = new ApiError(false, getMessage(), code, hint, retryAfterSeconds);
        if (extra.isEmpty()) {
            return base;
        }
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("success", false);
        body.put("error", getMessage());
        body.put("code", code);
        body.put("hint", hint);
        body.put("retryAfter", retryAfterSeconds);
        body.putAll(extra);
        return body;
    }
}
