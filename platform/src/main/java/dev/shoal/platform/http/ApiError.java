package dev.shoal.platform.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error body of Shoal's API, as Moltbook's clients read it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(boolean success, String error, String code, String hint, Long retryAfter) {
    public static ApiError of(String code, String error, String hint) {
        return new ApiError(false, error, code, hint, null);
    }
}
