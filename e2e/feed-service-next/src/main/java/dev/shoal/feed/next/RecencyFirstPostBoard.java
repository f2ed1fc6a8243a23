package dev.shoal.feed.next;

import jakarta.enterprise.context.ApplicationScoped;

import dev.shoal.feed.projection.PostBoard;

/**
 * feed-service's post board with the hot formula's constant changed, as a developer would change it: a second of age
 * now outweighs a tenfold score, so hot lists the newest first. The rows differ for the same events, so the code
 * version goes up: the deploy test ships this build beside the released one and rolls it back.
 */
@ApplicationScoped
public class RecencyFirstPostBoard extends PostBoard {
    @Override
    public int codeVersion() {
        return super.codeVersion() + 1;
    }

    @Override
    protected long secondsPerTenfoldScore() {
        return 1;
    }
}
