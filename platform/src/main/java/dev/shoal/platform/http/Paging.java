package dev.shoal.platform.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.contract.Pagination;

/**
 * Moltbook's list conventions, in one place: {@code limit} (default 25, at most 100), keyset {@code cursor}
 * (preferred) or a bounded {@code offset} for the official SDK, and the answer
 * {@code {"success":true,"data":[…],"pagination":{count, limit, offset, hasMore, nextCursor}}} ({@link Slice}).
 *
 * <p>A cursor is opaque to clients: the sort key of the last row they saw, as base64url JSON.
 */
public record Paging(int limit, int offset, List<Object> after) {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_OFFSET = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses the raw query parameters (raw, so that {@code limit=ten} is a 400 rather than JAX-RS's 404). */
    public static Paging of(String limit, String offset, String cursor) {
        int l = number("limit", limit, DEFAULT_LIMIT);
        if (l < 1 || l > MAX_LIMIT) {
            throw ApiException.validation("limit must be between 1 and " + MAX_LIMIT, "Page through with cursor");
        }
        int o = number("offset", offset, 0);
        if (o < 0 || o > MAX_OFFSET) {
            throw ApiException.validation("offset must be between 0 and " + MAX_OFFSET, "Use cursor for deeper pages");
        }
        if (cursor != null && !cursor.isBlank() && o != 0) {
            throw ApiException.validation("Send either cursor or offset, not both", "Prefer cursor");
        }
        return new Paging(l, o, cursor == null || cursor.isBlank() ? null : decode(cursor));
    }

    /** One page of rows and its {@link Pagination}, ready to be put in the list's answer. */
    public record Slice<T>(List<T> rows, Pagination pagination) {
        public <R> Slice<R> map(Function<T, R> view) {
            return new Slice<>(rows.stream().map(view).toList(), pagination);
        }
    }

    /**
     * The page in up to {@code limit + 1} fetched rows (the extra one only says there is more). {@code sortKey} gives a
     * row's cursor key, or null when the sort has none (one that moves with the clock pages by offset only).
     */
    public <T> Slice<T> slice(List<T> fetched, Function<T, List<Object>> sortKey) {
        boolean more = fetched.size() > limit;
        List<T> page = more ? fetched.subList(0, limit) : fetched;
        List<Object> lastKey = more && !page.isEmpty() ? sortKey.apply(page.get(page.size() - 1)) : null;
        return new Slice<>(List.copyOf(page),
                new Pagination(page.size(), limit, offset, more, lastKey == null ? null : encode(lastKey)));
    }

    /**
     * A list's sort by name, case-insensitive; none given is {@code fallback}, an unknown one a 400 that lists the
     * choices (the enum's constants, in order).
     */
    public static <E extends Enum<E>> E sort(String raw, E fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        Class<E> type = fallback.getDeclaringClass();
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList();
            String choices = String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
            throw ApiException.validation("sort must be " + choices, "Use one of those");
        }
    }

    /** The refusal of a cursor another sort (or nobody) made: a 400, never a SQL error. */
    public static ApiException foreignCursor() {
        return ApiException.validation("cursor does not belong to this sort", "Start again without cursor");
    }

    /** The earliest and latest time a cursor may carry: PostgreSQL refuses years beyond 294276 with an error. */
    private static final java.time.Instant EARLIEST = java.time.Instant.EPOCH;
    private static final java.time.Instant LATEST = java.time.Instant.parse("9999-12-31T23:59:59.999999Z");

    /**
     * A time taken from a cursor, for a keyset condition: an ISO instant between 1970 and 9999, else the cursor was
     * not made by this API (a 400, never a database error).
     */
    public static java.sql.Timestamp time(Object value) {
        try {
            java.time.Instant at = java.time.Instant.parse(String.valueOf(value));
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                throw foreignCursor();
            }
            return java.sql.Timestamp.from(at);
        } catch (java.time.format.DateTimeParseException e) {
            throw foreignCursor();
        }
    }

    /** Checks that a decoded cursor has the sort key's number of values, none missing. */
    public static void requireKey(List<Object> key, int size) {
        if (key.size() != size || key.contains(null)) {
            throw foreignCursor();
        }
    }

    private static int number(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation(name + " must be a whole number", "Send e.g. " + name + "=25");
        }
    }

    static String encode(List<Object> key) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(key));
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode a cursor", e);
        }
    }

    private static List<Object> decode(String cursor) {
        try {
            if (cursor.length() > 512) {
                throw new IllegalArgumentException("too long");
            }
            return JSON.readValue(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8),
                    new TypeReference<List<Object>>() {
                    });
        } catch (Exception e) {
            throw ApiException.validation("cursor is not one this API gave out", "Use pagination.nextCursor as is");
        }
    }
}
