package dev.shoal.identity.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Response bodies of the agent endpoints, in the field names of Moltbook's API. */
final class AgentResponses {
    static final String KEY_WARNING = "⚠️ SAVE YOUR API KEY! It is shown only once and cannot be recovered.";

    private AgentResponses() {
    }

    record Registered(boolean success, NewAgent agent, String important) {
        Registered(NewAgent agent) {
            this(true, agent, KEY_WARNING);
        }
    }

    record NewAgent(@JsonProperty("api_key") String apiKey, @JsonProperty("claim_url") String claimUrl,
                    @JsonProperty("verification_code") String verificationCode) {
    }

    record Status(boolean success, String status) {
    }

    record Profile(boolean success, AgentView agent) {
    }

    /** {@code action} is {@code followed} or {@code unfollowed}, also when nothing changed. */
    record FollowAction(boolean success, String action) {
    }

    record RotatedKey(boolean success, @JsonProperty("api_key") String apiKey, String important) {
    }

    record Message(boolean success, String message) {
    }
}
