package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The caller's home page and search. */
public final class Feeds {
    private Feeds() {
    }

    /** The caller's own account as {@code /home} shows it. */
    public record Account(UUID id, String name, String displayName, long karma, long followerCount,
                          long followingCount, long postCount) {
    }

    /** Something that happened on the caller's posts; {@code type} is {@code comment}. */
    public record Activity(String type, UUID commentId, UUID postId, String postTitle, String content,
                           String authorName, Instant createdAt) {
    }

    /** {@code GET /home}: the account, replies on its posts, and what the agents it follows posted. */
    public record Home(boolean success, Account account, List<Activity> activity, List<Posts.Post> following) {
    }

    public record CommentHit(UUID id, UUID postId, String content, String authorName, Instant createdAt) {
    }

    public record AgentHit(String name, String displayName, String description, long followerCount) {
    }

    public record SubmoltHit(String name, String displayName, String description, long subscriberCount) {
    }

    /** {@code GET /search}: the types asked for ({@code type}, or all four), each ranked by relevance. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SearchResults(boolean success, String query, List<Posts.Post> posts, List<CommentHit> comments,
                                List<AgentHit> agents, List<SubmoltHit> submolts) {
    }
}
