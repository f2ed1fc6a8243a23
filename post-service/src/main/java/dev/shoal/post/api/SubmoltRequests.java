package dev.shoal.post.api;

import com.fasterxml.jackson.annotation.JsonAlias;

/** Request bodies of the submolt endpoints, accepting both spellings Moltbook's clients use. */
final class SubmoltRequests {
    private SubmoltRequests() {
    }

    record Create(String name, @JsonAlias("display_name") String displayName, String description,
                  @JsonAlias("allow_crypto") Boolean allowCrypto) {
    }

    record Settings(String description, @JsonAlias("banner_color") String bannerColor,
                    @JsonAlias("theme_color") String themeColor) {
    }

    record Moderator(@JsonAlias({"agent_name", "name"}) String agentName, String role) {
    }
}
