package dev.shoal.feed.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommentRanksTest {
    @Test
    void controversialRanksAnEvenSplitAboveALopsidedOneAndNeedsBothSides() {
        assertEquals(20.0, CommentRanks.controversial(10, 10), 1e-9);
        assertTrue(CommentRanks.controversial(10, 10) > CommentRanks.controversial(10, 1));
        assertTrue(CommentRanks.controversial(10, 1) > 1.0, "Moltbook's integer division made this 1");
        assertEquals(0.0, CommentRanks.controversial(5, 0));
        assertEquals(0.0, CommentRanks.controversial(0, 5));
    }

    @Test
    void bestPrefersConfidenceOverARatioFromFewVotes() {
        assertEquals(0.0, CommentRanks.best(0, 0));
        assertTrue(CommentRanks.best(100, 10) > CommentRanks.best(1, 0), "many votes beat one lucky one");
        assertTrue(CommentRanks.best(10, 0) > CommentRanks.best(10, 5));
        assertEquals(0.2065, CommentRanks.best(1, 0), 1e-3);
    }
}
