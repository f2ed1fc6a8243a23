package dev.shoal.feed.projection;

/**
 * The text each searchable row is indexed by, as SQL over its own columns. The projections index exactly these
 * expressions and search queries match on exactly these, so PostgreSQL uses the GIN indexes; a post's is computed
 * once, into {@code post_search}, which its index and the search read.
 */
public final class SearchText {
    public static final String POST = "to_tsvector('english', title || ' ' || coalesce(content, '') || ' ' || coalesce(url, ''))";
    public static final String COMMENT = "to_tsvector('english', content)";
    public static final String AGENT = "to_tsvector('simple', name || ' ' || coalesce(display_name, '') || ' ' || description)";
    public static final String SUBMOLT = "to_tsvector('simple', name || ' ' || display_name || ' ' || description)";

    private SearchText() {
    }
}
