package dev.shoal.identity.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.shoal.events.AgentEvent;
import dev.shoal.events.ConversationEvent;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.FollowEvent;
import dev.shoal.events.NotificationEvent;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.platform.write.OwnEvents;

/**
 * identity-service's own events (agents, their follows and read marks, on {@code shoal.identity}; their private
 * conversations, on {@code shoal.messages}) and who applies them.
 */
@ApplicationScoped
public class IdentityEvents implements OwnEvents {
    private final AgentAccounts accounts;
    private final Follows follows;
    private final ReadMarks readMarks;
    private final Conversations conversations;

    public IdentityEvents(AgentAccounts accounts, Follows follows, ReadMarks readMarks, Conversations conversations) {
        this.accounts = accounts;
        this.follows = follows;
        this.readMarks = readMarks;
        this.conversations = conversations;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.IDENTITY, Topic.MESSAGES);
    }

    @Override
    public Uni<Void> evolve(ShoalEvent event, EventEnvelope envelope) {
        return switch (event) {
            case AgentEvent a -> accounts.evolve(a, envelope);
            case FollowEvent f -> follows.evolve(f, envelope);
            case NotificationEvent n -> readMarks.evolve(n, envelope);
            case ConversationEvent c -> conversations.evolve(c, envelope);
            default -> throw new IllegalArgumentException(event.getClass().getSimpleName()
                    + " is not an event of identity-service");
        };
    }
}
