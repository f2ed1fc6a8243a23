package dev.shoal.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final AtomicLong now = new AtomicLong();
    final RateLimiter limiter = new RateLimiter(100, Duration.ofMinutes(1), now::get);

    @Test
    void allowsTheLimitThenRefusesWithAPreciseWait() {
        for (int i = 0; i < 100; i++) {
            RateLimiter.Decision d = limiter.tryAcquire("k");
            assertTrue(d.allowed());
            assertEquals(99 - i, d.remaining());
        }
        RateLimiter.Decision refused = limiter.tryAcquire("k");
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds(), "one token comes back every 0.6 s");
        assertEquals(60, refused.resetSeconds());
        assertTrue(limiter.tryAcquire("other").allowed(), "keys do not share a budget");
    }

    @Test
    void refillsContinuously() {
        for (int i = 0; i < 100; i++) {
            limiter.tryAcquire("k");
        }
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        int allowed = 0;
        while (limiter.tryAcquire("k").allowed()) {
            allowed++;
        }
        assertEquals(10, allowed);
    }

    @Test
    void idleFullBucketsAreForgotten() {
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        limiter.evictIdle();
        assertEquals(0, limiter.size());
    }
}
