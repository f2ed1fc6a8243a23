package dev.shoal.feed.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.shoal.contract.Posts.Post;

/** The feed page cache: bounded by bytes, by age, and never older than what a caller's own request needs. */
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

    /** A request that named no write of its own may have any page; one that did, only a page read after they applied. */
    @Test
    void aCallersOwnWritesAreInEveryPageItIsAnswered() {
        long applied = System.nanoTime();
        PostFeeds.CachedPage before = new PostFeeds.CachedPage(applied - 1_000, List.of());
        PostFeeds.CachedPage after = new PostFeeds.CachedPage(applied + 1_000, List.of());
        assertTrue(before.shows(OptionalLong.empty()), "no write named: any page");
        assertFalse(before.shows(OptionalLong.of(applied)), "read before the caller's write applied");
        assertFalse(before.shows(OptionalLong.of(applied - 1_000)), "read as it applied");
        assertTrue(after.shows(OptionalLong.of(applied)), "read after it applied");
        assertFalse(after.shows(OptionalLong.of(Long.MAX_VALUE)), "the wait timed out: no page has it");
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
