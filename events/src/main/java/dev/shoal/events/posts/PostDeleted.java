package dev.shoal.events.posts;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/** The author deleted a post: it leaves every feed and search; its author stays known. */
public record PostDeleted(UUID postId, UUID authorId) implements ShoalEvent {
    @Override
    public String subject() {
        return postId.toString();
    }
}
