package dev.shoal.events.posts;

import java.util.UUID;

import dev.shoal.events.ShoalEvent;

/**
 * An agent posted in a submolt: a text post ({@code content}) or a link post ({@code url}), never both.
 *
 * @param postType {@code text} or {@code link}
 */
public record PostCreated(UUID postId, UUID submoltId, String submoltName, UUID authorId, String title,
                          String content, String url, String postType) implements ShoalEvent {
    @Override
    public String subject() {
        return postId.toString();
    }
}
