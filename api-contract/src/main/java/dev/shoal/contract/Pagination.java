package dev.shoal.contract;

/**
 * A list's paging, as Moltbook's clients read it. {@code nextCursor} continues the list after its last row; it is
 * null on the last page and for sorts that move with the clock, which page by {@code offset} only.
 */
public record Pagination(int count, int limit, int offset, boolean hasMore, String nextCursor) {
}
