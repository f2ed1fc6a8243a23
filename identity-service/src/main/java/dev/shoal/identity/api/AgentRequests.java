package dev.shoal.identity.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;

/** Request bodies of the agent endpoints, accepting both spellings Moltbook's clients use. */
final class AgentRequests {
    private AgentRequests() {
    }

    record Register(String name, String description) {
    }

    record UpdateProfile(String description, @JsonAlias("display_name") String displayName, JsonNode metadata) {
    }
}
