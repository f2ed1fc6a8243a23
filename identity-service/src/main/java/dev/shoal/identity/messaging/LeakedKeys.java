package dev.shoal.identity.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.EventCodec;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent.LeakedKeyFound;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.identity.domain.AgentCommand;
import dev.shoal.identity.projection.AgentAccounts;
import dev.shoal.platform.decide.Refused;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.messaging.KafkaSettings;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.platform.write.Rehearsal;

/**
 * Revokes the API keys moderation finds written where others can read them ({@code LeakedKeyFound} on
 * {@code shoal.moderation}, SmallRye Reactive Messaging, group {@code identity-service-leaks}, from the start of the
 * log). The revocation is a command like any other, so it is decided against the account as it is: a key rotated or
 * revoked since is dead already and nothing is recorded, which also makes a redelivery or a replay harmless. The
 * gateway refuses the key once its credentials projection applies the event, within a second of the decision.
 */
@ApplicationScoped
public class LeakedKeys {
    private static final Logger LOG = Logger.getLogger(LeakedKeys.class);
    private final EventWriter writer;
    private final AgentAccounts accounts;

    public LeakedKeys(EventWriter writer, AgentAccounts accounts) {
        this.writer = writer;
        this.accounts = accounts;
    }

    /** The channel's Kafka settings: identity-service's own login and a group named after it. */
    @Produces
    @Identifier("leaks-kafka")
    static Map<String, Object> leaksKafka(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>(kafka.base());
        config.put("group.id", "identity-service-leaks");
        return config;
    }

    /**
     * Rehearses a revocation at start (of an agent that does not exist, so nothing is decided, and rolled back
     * anyway), so that the first leak after a start does not wait for the account's queries to be first parsed.
     */
    void rehearse(@Observes StartupEvent start) {
        UUID nobody = UUID.randomUUID();
        Rehearsal.inBackground("a revocation", () -> writer.rehearse(accounts,
                new AgentCommand.RevokeLeakedKey(nobody, nobody, nobody), new Caller(null, null, "rehearsal")));
    }

    @Incoming("leaks")
    public Uni<Void> revoke(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope;
        ShoalEvent event;
        try {
            envelope = CloudEventHeaders.fromRecord(record);
            if (!Topic.MODERATION.owner().equals(envelope.source())) {
                LOG.warnf("ignored event %s on %s: its source %s is not the topic's owner", envelope.id(),
                        record.topic(), envelope.source());
                return Uni.createFrom().voidItem();
            }
            event = EventCodec.get().decode(envelope);
        } catch (RuntimeException e) {
            LOG.warnf("skipped a record that cannot be read (%s-%d@%d): %s", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return Uni.createFrom().voidItem();
        }
        if (!(event instanceof LeakedKeyFound leak)) {
            return Uni.createFrom().voidItem();
        }
        // The decision is the cause: its id is the revocation's correlation, so an auditor can follow one to the other.
        Caller system = new Caller(null, null, leak.decisionId().toString());
        return writer.write(accounts, new AgentCommand.RevokeLeakedKey(leak.agentId(), leak.keyId(),
                        leak.decisionId()), system)
                .invoke(w -> {
                    if (!w.events().isEmpty()) {
                        LOG.infof("revoked key %s of agent %s: moderation found it leaked (decision %s)",
                                leak.keyId(), leak.agentId(), leak.decisionId());
                    }
                })
                .replaceWithVoid()
                .onFailure(f -> !(f instanceof Refused)).retry().withBackOff(Duration.ofMillis(200),
                        Duration.ofSeconds(10)).indefinitely()
                .onFailure(Refused.class).invoke(f -> LOG.warnf("revoking leaked key %s was refused: %s",
                        leak.keyId(), ((Refused) f).refusal()))
                .onFailure(Refused.class).recoverWithItem((Void) null);
    }
}
