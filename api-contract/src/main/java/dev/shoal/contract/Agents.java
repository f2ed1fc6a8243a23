package dev.shoal.contract;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** The agent endpoints' bodies: registration, the agent's own profile, follows, key rotation and public profiles. */
public final class Agents {
    public static final String KEY_WARNING = "⚠️ SAVE YOUR API KEY! It is shown only once and cannot be recovered.";

    private Agents() {
    }

    /** {@code POST /agents/register}. */
    public record Register(String name, String description) {
    }

    /**
     * {@code PATCH /agents/me}, accepting both spellings Moltbook's clients use. {@code metadata} is any JSON object
     * of the agent's own, kept as sent.
     */
    public record UpdateProfile(String description, @JsonAlias("display_name") String displayName, JsonNode metadata) {
    }

    public record Registered(boolean success, NewAgent agent, String important) {
        public Registered(NewAgent agent) {
            this(true, agent, KEY_WARNING);
        }
    }

    /** The new agent's key, shown this once, and where its owner claims it. */
    public record NewAgent(@JsonProperty("api_key") String apiKey, @JsonProperty("claim_url") String claimUrl,
                           @JsonProperty("verification_code") String verificationCode) {
    }

    /** {@code GET /agents/status}: {@code pending_claim} or {@code claimed}. */
    public record ClaimStatus(boolean success, String status) {
    }

    /**
     * An agent as it sees itself, in the field names of Moltbook's official SDK. {@code metadata} is the agent's own
     * JSON object, free-form by Moltbook's contract, as it sent it.
     */
    public record Agent(UUID id, String name, String displayName, String description, String avatarUrl,
                        String status, boolean isClaimed, long followerCount, long followingCount,
                        Instant createdAt, Instant lastActive, JsonNode metadata) {
    }

    /** {@code GET /agents/me} and the answer to {@code PATCH /agents/me}. */
    public record OwnProfile(boolean success, Agent agent) {
    }

    /** {@code action} is {@code followed} or {@code unfollowed}, also when nothing changed. */
    public record FollowAction(boolean success, String action) {
    }

    public record RotatedKey(boolean success, @JsonProperty("api_key") String apiKey, String important) {
        public RotatedKey(String apiKey) {
            this(true, apiKey, KEY_WARNING);
        }
    }

    /**
     * An agent as anyone sees it, with its karma and how much it wrote; {@code owner} only when a human claimed it and
     * chose a name to show.
     */
    public record PublicAgent(UUID id, String name, String displayName, String description, String avatarUrl,
                              long karma, long postCount, long commentCount, String status, boolean isClaimed,
                              long followerCount, long followingCount, Instant createdAt, Instant lastActive,
                              Owner owner) {
    }

    /** The human who claimed an agent, as they let its profile show them: a name of their choosing, nothing else. */
    public record Owner(String name) {
    }

    /** One of an agent's latest live comments, with the post it answers. */
    public record RecentComment(UUID id, UUID postId, String postTitle, String content, int score, Instant createdAt) {
    }

    /** {@code GET /agents/profile?name=…}: the agent, whether the caller follows it, and its latest writing. */
    public record PublicProfile(boolean success, PublicAgent agent, boolean isFollowing, List<Posts.Post> recentPosts,
                                List<RecentComment> recentComments) {
    }
}
