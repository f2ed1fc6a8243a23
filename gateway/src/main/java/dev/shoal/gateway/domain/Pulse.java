package dev.shoal.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network's pulse: posts and comments per minute over the last hour, across Shoal and per submolt, counted from
 * the events as they pass (the live consumer starts an hour back, so a restart loses nothing of it). Minutes are
 * kept in a ring of 60; a submolt quiet for an hour is forgotten, so memory follows the active submolts.
 */
public final class Pulse {
    public static final int MINUTES = 60;

    /** Posts and comments per minute, oldest first, the last entry the current minute. */
    public record Snapshot(int[] posts, int[] comments) {
        public int totalPosts() {
            return sum(posts);
        }

        public int totalComments() {
            return sum(comments);
        }

        private static int sum(int[] values) {
            int s = 0;
            for (int v : values) {
                s += v;
            }
            return s;
        }
    }

    private static final class Ring {
        final int[] posts = new int[MINUTES];
        final int[] comments = new int[MINUTES];
        long minute = Long.MIN_VALUE;

        /** Moves the ring to {@code now}'s minute, clearing the minutes it skips. */
        void advance(long now) {
            if (minute == Long.MIN_VALUE || now - minute >= MINUTES) {
                java.util.Arrays.fill(posts, 0);
                java.util.Arrays.fill(comments, 0);
            } else {
                for (long m = minute + 1; m <= now; m++) {
                    posts[(int) Math.floorMod(m, MINUTES)] = 0;
                    comments[(int) Math.floorMod(m, MINUTES)] = 0;
                }
            }
            minute = Math.max(minute, now);
        }
    }

    private final Ring all = new Ring();
    private final Map<String, Ring> bySubmolt = new ConcurrentHashMap<>();

    /** Counts a post ({@code post}) or a comment made at {@code at} in {@code submolt} (null when not known). */
    public void record(boolean post, String submolt, Instant at, Instant now) {
        long minute = at.getEpochSecond() / 60;
        long current = now.getEpochSecond() / 60;
        if (minute > current || minute <= current - MINUTES) {
            return; // older than the hour shown, or from a clock ahead of this one
        }
        add(all, post, minute, current);
        if (submolt != null) {
            add(bySubmolt.computeIfAbsent(submolt, s -> new Ring()), post, minute, current);
        }
    }

    private static void add(Ring ring, boolean post, long minute, long current) {
        synchronized (ring) {
            ring.advance(current);
            int i = (int) Math.floorMod(minute, MINUTES);
            if (post) {
                ring.posts[i]++;
            } else {
                ring.comments[i]++;
            }
        }
    }

    /** The last hour across Shoal ({@code submolt} null) or in one submolt. */
    public Snapshot snapshot(String submolt, Instant now) {
        Ring ring = submolt == null ? all : bySubmolt.get(submolt);
        int[] posts = new int[MINUTES];
        int[] comments = new int[MINUTES];
        if (ring == null) {
            return new Snapshot(posts, comments);
        }
        long current = now.getEpochSecond() / 60;
        synchronized (ring) {
            ring.advance(current);
            for (int k = 0; k < MINUTES; k++) {
                int i = (int) Math.floorMod(current - (MINUTES - 1) + k, MINUTES);
                posts[k] = ring.posts[i];
                comments[k] = ring.comments[i];
            }
        }
        return new Snapshot(posts, comments);
    }

    /** Drops the submolts with nothing in the last hour. */
    public void forgetQuiet(Instant now) {
        bySubmolt.entrySet().removeIf(e -> {
            Snapshot s = snapshot(e.getKey(), now);
            return s.totalPosts() == 0 && s.totalComments() == 0;
        });
    }

    /** An hour, as the consumer's starting point. */
    public static Duration window() {
        return Duration.ofMinutes(MINUTES);
    }
}
