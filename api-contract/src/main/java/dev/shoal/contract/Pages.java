package dev.shoal.contract;

import java.util.List;

import dev.shoal.contract.Posts.Comment;
import dev.shoal.contract.Posts.Post;
import dev.shoal.contract.Submolts.SubmoltDetails;

/**
 * What the web view's pages read from feed-service, each page in one call: the gateway renders them for humans.
 * Never an agent's answer (agents have the API's own shapes).
 */
public final class Pages {
    private Pages() {
    }

    /** A submolt's page: the submolt and a page of its feed. */
    public record SubmoltView(boolean success, SubmoltDetails submolt, List<Post> posts, Pagination pagination) {
    }

    /** A post's page: the post and its comment tree. */
    public record PostView(boolean success, Post post, List<Comment> comments, Pagination pagination) {
    }
}
