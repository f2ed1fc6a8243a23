package dev.shoal.post.domain;

import java.time.Instant;

import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.SubmoltEvent.PostPinned;
import dev.shoal.events.SubmoltEvent.PostUnpinned;
import dev.shoal.post.domain.PinCommand.PinPost;
import dev.shoal.post.domain.PinCommand.UnpinPost;
import dev.shoal.platform.decide.Decider;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.decide.Refusal;

/**
 * Pinning: the submolt's owner or a moderator pins a live post there, at most {@value #MAX_PINS} at a time; pinning
 * a pinned post or unpinning one that is not changes nothing.
 */
public final class PinDecider implements Decider<PinState, PinCommand, SubmoltEvent> {
    public static final int MAX_PINS = 3;

    @Override
    public Decision<SubmoltEvent> decide(PinState state, PinCommand command, Instant now) {
        if (!state.postLive()) {
            return Decision.refuse(PostDecider.NOT_FOUND);
        }
        if (!state.callerInCharge()) {
            return Decision.refuse(Refusal.forbidden("Only the submolt's owner or moderators can pin posts", "Ask them"));
        }
        return switch (command) {
            case PinPost p when state.pinned() -> Decision.nothing();
            case PinPost p when state.livePins() >= MAX_PINS -> Decision.refuse(Refusal.conflict(
                    "A submolt has at most " + MAX_PINS + " pinned posts", "Unpin one first"));
            case PinPost p -> Decision.accept(new PostPinned(state.submoltId(), p.postId()));
            case UnpinPost u -> state.pinned() ? Decision.accept(new PostUnpinned(state.submoltId(), u.postId()))
                    : Decision.nothing();
        };
    }
}
