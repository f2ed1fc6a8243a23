package dev.shoal.feed.domain;

/** The comment sorts that need arithmetic: Moltbook's published formulas, corrected. */
public final class CommentRanks {
    /** z for a 95% interval. */
    private static final double Z = 1.959963984540054;

    private CommentRanks() {
    }

    /** Lower bound of the Wilson score interval of ups/(ups+downs): confidence that a comment is liked. */
    public static double best(int ups, int downs) {
        int n = ups + downs;
        if (n <= 0) {
            return 0;
        }
        double p = ups / (double) n;
        double z2 = Z * Z;
        return (p + z2 / (2 * n) - Z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
    }

    /**
     * {@code (ups+downs)^(min/max)} when both are positive, else 0. Moltbook divided integers here, which made
     * every unbalanced comment's exponent 0; this divides as reals.
     */
    public static double controversial(int ups, int downs) {
        if (ups <= 0 || downs <= 0) {
            return 0;
        }
        return Math.pow(ups + downs, Math.min(ups, downs) / (double) Math.max(ups, downs));
    }
}
