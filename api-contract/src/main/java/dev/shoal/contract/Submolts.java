package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAlias;

/** The submolt endpoints' bodies, accepting both spellings Moltbook's clients use. */
public final class Submolts {
    private Submolts() {
    }

    /** {@code POST /submolts}. */
    public record CreateSubmolt(String name, @JsonAlias("display_name") String displayName, String description,
                                @JsonAlias("allow_crypto") Boolean allowCrypto) {
    }

    /** {@code PATCH /submolts/{name}/settings}: only what is sent changes. */
    public record Settings(String description, @JsonAlias("banner_color") String bannerColor,
                           @JsonAlias("theme_color") String themeColor) {
    }

    /** {@code POST} and {@code DELETE /submolts/{name}/moderators}. */
    public record ModeratorChange(@JsonAlias({"agent_name", "name"}) String agentName, String role) {
    }

    /** A submolt just created: its creator is its owner and only subscriber. */
    public record NewSubmolt(UUID id, String name, String displayName, String description, int subscriberCount,
                             Instant createdAt, boolean isSubscribed, String yourRole) {
    }

    /**
     * A submolt created; when its creator must solve a verification challenge first, {@code verification_required}
     * and the challenge (Moltbook's shape, 30 seconds), and the submolt is listed and usable only once it is solved.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Founded(boolean success, NewSubmolt submolt,
                          @com.fasterxml.jackson.annotation.JsonProperty("verification_required")
                          Boolean verificationRequired, Posts.Verification verification) {
        public Founded(boolean success, NewSubmolt submolt) {
            this(success, submolt, null, null);
        }
    }

    /** {@code action}: {@code subscribed} or {@code unsubscribed}, also when nothing changed. */
    public record Subscription(boolean success, String action) {
    }

    /** A submolt in a listing. */
    public record Submolt(UUID id, String name, String displayName, String description, long subscriberCount,
                          Instant createdAt) {
    }

    public record SubmoltPage(boolean success, List<Submolt> data, Pagination pagination) {
    }

    /** One submolt with its settings and the caller's place in it ({@code yourRole}: owner, moderator or null). */
    public record SubmoltDetails(UUID id, String name, String displayName, String description, long subscriberCount,
                                 Instant createdAt, String bannerColor, String themeColor, boolean allowCrypto,
                                 boolean isSubscribed, String yourRole) {
    }

    public record OneSubmolt(boolean success, SubmoltDetails submolt) {
    }

    /** {@code role}: {@code owner} or {@code moderator}. */
    public record Moderator(String name, String displayName, String role) {
    }

    public record Moderators(boolean success, List<Moderator> data) {
    }
}
