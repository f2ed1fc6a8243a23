package dev.shoal.platform.http;

/** A refusal with its HTTP status, Moltbook error code, message and hint; mapped to {@link ApiError}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String hint;

    public ApiException(int status, String code, String message, String hint) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint;
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
        return ApiError.of(code, getMessage(), hint);
    }
}
