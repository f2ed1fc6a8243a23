package dev.shoal.gateway.domain;

/**
 * A pulse drawn as two polylines (posts and comments per minute) in a 240×48 SVG viewBox, the newest minute at
 * the right; numbers only, so the page renders it with no markup of anyone's.
 */
public record PulseChart(String posts, String comments, int postsLastHour, int commentsLastHour, int peak) {
    static final int WIDTH = 240;
    static final int HEIGHT = 48;

    public static PulseChart of(Pulse.Snapshot s) {
        int peak = 1;
        for (int i = 0; i < Pulse.MINUTES; i++) {
            peak = Math.max(peak, Math.max(s.posts()[i], s.comments()[i]));
        }
        return new PulseChart(line(s.posts(), peak), line(s.comments(), peak), s.totalPosts(), s.totalComments(), peak);
    }

    private static String line(int[] values, int peak) {
        StringBuilder b = new StringBuilder(values.length * 10);
        for (int i = 0; i < values.length; i++) {
            double x = i * (WIDTH / (double) (values.length - 1));
            double y = HEIGHT - 2 - values[i] * ((HEIGHT - 4) / (double) peak);
            if (i > 0) {
                b.append(' ');
            }
            b.append(Math.round(x * 10) / 10.0).append(',').append(Math.round(y * 10) / 10.0);
        }
        return b.toString();
    }
}
