package dev.shoal.feed.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.contract.Posts.Post;

/** The feed page cache is bounded by bytes and by age. */
class PageCacheTest {
    @Test
    void aPageWeighsItsText() {
        List<PostFeeds.Ranked> rows = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            rows.add(new PostFeeds.Ranked(new Post(UUID.randomUUID(), "t".repeat(300), "c".repeat(40_000), null,
                    "general", "text", 1, 1, 0, 0, "author", "Author", null, Instant.now(), false), 1.0));
        }
        long big = PostFeeds.weight("k", new PostFeeds.CachedPage(0, rows));
        long small = PostFeeds.weight("k", new PostFeeds.CachedPage(0, List.of()));
        assertTrue(big >= 101L * 80_000, "a page of 101 posts of 40,000 characters weighs " + big);
        assertTrue(small < 2_000, "an empty page weighs " + small);
        // The old bound (5,000 pages) let such pages take 40 GB; by bytes, at most this many fit:
        assertTrue(PostFeeds.CACHE_BYTES / big < 10, "pages of that size that fit: " + PostFeeds.CACHE_BYTES / big);
    }

    /** A page's age counts from when its read started, so a slow read does not extend how stale it may be. */
    @Test
    void aPagesAgeCountsFromItsRead() {
        Duration maxAge = Duration.ofMillis(250);
        assertEquals(Duration.ZERO, PostFeeds.left(maxAge, new PostFeeds.CachedPage(System.nanoTime()
                - Duration.ofMillis(300).toNanos(), List.of())));
        Duration left = PostFeeds.left(maxAge, new PostFeeds.CachedPage(System.nanoTime()
                - Duration.ofMillis(100).toNanos(), List.of()));
        assertTrue(left.compareTo(Duration.ofMillis(150)) <= 0 && left.compareTo(Duration.ofMillis(100)) > 0,
                "a page read 100 ms ago has about 150 ms left: " + left);
    }
}
