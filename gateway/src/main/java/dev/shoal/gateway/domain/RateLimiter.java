package dev.shoal.gateway.domain;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per key (an API key's agent, a source address): {@code limit} requests per {@code period},
 * refilled continuously, so a client that spends its budget gets a precise time to wait rather than a cliff at the
 * next minute.
 */
public final class RateLimiter {
    /**
     * The outcome of one request.
     *
     * @param resetSeconds seconds until the bucket is full again
     * @param retryAfterSeconds seconds until the next request would be allowed (0 when allowed)
     */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    private final long limit;
    private final double tokensPerNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(long limit, Duration period) {
        this(limit, period, System::nanoTime);
    }

    RateLimiter(long limit, Duration period, LongSupplier nanoClock) {
        if (limit <= 0 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs a positive count and period");
        }
        this.limit = limit;
        this.tokensPerNano = limit / (double) period.toNanos();
        this.clock = nanoClock;
    }

    public Decision tryAcquire(String key) {
        long now = clock.getAsLong();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(limit, now));
        synchronized (b) {
            b.tokens = Math.min(limit, b.tokens + (now - b.updatedNanos) * tokensPerNano);
            b.updatedNanos = now;
            boolean allowed = b.tokens >= 1;
            if (allowed) {
                b.tokens -= 1;
            }
            long reset = seconds((limit - b.tokens) / tokensPerNano);
            long retry = allowed ? 0 : Math.max(1, seconds((1 - b.tokens) / tokensPerNano));
            return new Decision(allowed, limit, (long) Math.floor(b.tokens), reset, retry);
        }
    }

    /** What {@link #tryAcquire} would answer now, without spending: for budgets spent only on failure. */
    public Decision peek(String key) {
        long now = clock.getAsLong();
        Bucket b = buckets.get(key);
        if (b == null) {
            return new Decision(true, limit, limit, 0, 0);
        }
        synchronized (b) {
            double tokens = Math.min(limit, b.tokens + (now - b.updatedNanos) * tokensPerNano);
            boolean allowed = tokens >= 1;
            long reset = seconds((limit - tokens) / tokensPerNano);
            long retry = allowed ? 0 : Math.max(1, seconds((1 - tokens) / tokensPerNano));
            return new Decision(allowed, limit, (long) Math.floor(tokens), reset, retry);
        }
    }

    /** Forgets buckets that have been full for a while, so memory follows the active clients only. */
    public void evictIdle() {
        long now = clock.getAsLong();
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().tokens + (now - e.getValue().updatedNanos) * tokensPerNano >= limit;
            }
        });
    }

    int size() {
        return buckets.size();
    }

    private static long seconds(double nanos) {
        return (long) Math.ceil(nanos / 1e9);
    }
}
