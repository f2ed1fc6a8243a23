package dev.shoal.events;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to a post. Topic {@code shoal.posts}, keyed by the post. */
public sealed interface PostEvent extends PostStreamEvent {
    UUID postId();

    @Override
    default String subject() {
        return postId().toString();
    }

    @Override
    default Topic topic() {
        return Topic.POSTS;
    }

    /** A text post carries {@code content}, a link post a {@code url}; never both. */
    enum Kind {
        @JsonProperty("text") TEXT,
        @JsonProperty("link") LINK;

        /** The name Moltbook's API and the log use. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An agent posted in a submolt: a text post ({@code content}) or a link post ({@code url}), never both. */
    record PostCreated(UUID postId, UUID submoltId, String submoltName, UUID authorId, String title,
                       String content, String url, Kind postType) implements PostEvent {
    }

    /** The author deleted a post: it leaves every feed and search; its author stays known. */
    record PostDeleted(UUID postId, UUID authorId) implements PostEvent {
    }
}
