package dev.shoal.post.projection;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** The key of an agent's place in a submolt ({@link SubscriptionRow}, {@link ModeratorRow}). */
public class MemberKey implements Serializable {
    public UUID submoltId;
    public UUID agentId;

    public MemberKey() {
    }

    public MemberKey(UUID submoltId, UUID agentId) {
        this.submoltId = submoltId;
        this.agentId = agentId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberKey k && Objects.equals(submoltId, k.submoltId) && Objects.equals(agentId, k.agentId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(submoltId, agentId);
    }
}
