package dev.shoal.feed.projection;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts the batches the feed's projections have committed. A read cached at one count is exactly what the tables
 * held then, so it can be served again until the count moves: readers cache by it and are never staler than the
 * projection itself.
 */
@ApplicationScoped
public class ReadGeneration {
    private final AtomicLong generation = new AtomicLong();

    public long current() {
        return generation.get();
    }

    /** A projection committed changes that readers may see. */
    public void advance() {
        generation.incrementAndGet();
    }
}
