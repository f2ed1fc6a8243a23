package dev.shoal.events;

import java.util.UUID;

/**
 * What happens on one post's stream of {@code shoal.posts}, keyed by the post: the post itself, its comments, and the
 * verification challenges of both. post-service writes them with one lock per post, so they are one family for its
 * writers, and one partition keeps them in order for every reader.
 */
public sealed interface PostStreamEvent extends ShoalEvent permits PostEvent, CommentEvent, VerificationEvent {
    UUID postId();
}
