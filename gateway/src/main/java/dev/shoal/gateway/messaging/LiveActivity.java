package dev.shoal.gateway.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.EventCodec;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.Topic;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;
import dev.shoal.gateway.api.ServiceClient;
import dev.shoal.gateway.api.ServiceClient.Target;
import dev.shoal.gateway.domain.Identicon;
import dev.shoal.gateway.domain.Pulse;
import dev.shoal.platform.messaging.KafkaSettings;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Feeds the live pages from {@code shoal.posts} (SmallRye Reactive Messaging): every new post and comment is counted
 * into the pulse and, once feed-service's read model has it, broadcast to the open pages ({@link LiveHub}). Each
 * gateway replica has a consumer group of its own (every replica's pages hear everything) and starts an hour back,
 * so the pulse is whole after a restart; posts older than this consumer are counted, never announced as new. Content
 * held for a verification challenge (its challenge comes just before it, on the same stream) is neither counted nor
 * announced until the challenge is solved, and then as of that moment. Only events written by the topic's owner are
 * believed.
 */
@ApplicationScoped
public class LiveActivity {
    private static final Logger LOG = Logger.getLogger(LiveActivity.class);
    private final LiveHub hub;
    private final ServiceClient services;
    private final ObjectMapper json;
    private final Instant started = Instant.now();
    /** Which submolt a recent post is in, for its comments' pulse: bounded, a comment on an older post counts globally. */
    private final Cache<UUID, String> submoltOfPost = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterWrite(Duration.ofHours(2)).build();
    /**
     * Content waiting for its challenge, by id: empty until the content itself arrives. Bounded, and forgotten a while
     * after any challenge expires: content never verified is never shown.
     */
    private final Cache<UUID, java.util.Optional<ShoalEvent>> pending = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1)).build();
    private long lastForget = System.nanoTime();

    public LiveActivity(LiveHub hub, ServiceClient services, ObjectMapper json) {
        this.hub = hub;
        this.services = services;
        this.json = json;
    }

    /** The channel's Kafka settings: the gateway's own login, and a consumer group of this replica's own. */
    @Produces
    @Identifier("live-kafka")
    static Map<String, Object> liveKafka(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>(kafka.base());
        config.put("group.id", "gateway-live-" + UUID.randomUUID());
        return config;
    }

    /** Starts each partition an hour back: the pulse covers the last hour from the first page on. */
    @Produces
    @Identifier("live-an-hour-back")
    static KafkaConsumerRebalanceListener anHourBack() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                long since = Instant.now().minus(Pulse.window()).toEpochMilli();
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, since));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                for (TopicPartition p : partitions) {
                    OffsetAndTimestamp at = found.get(p);
                    if (at != null) {
                        consumer.seek(p, at.offset());
                    } else {
                        consumer.seekToEnd(java.util.List.of(p));
                    }
                }
            }
        };
    }

    @Incoming("live")
    public void apply(ConsumerRecord<String, byte[]> record) {
        ShoalEvent event;
        EventEnvelope envelope;
        try {
            envelope = CloudEventHeaders.fromRecord(record);
            if (!Topic.POSTS.owner().equals(envelope.source())) {
                LOG.warnf("ignored event %s on %s: its source %s is not the topic's owner", envelope.id(),
                        record.topic(), envelope.source());
                return;
            }
            event = EventCodec.get().decode(envelope);
        } catch (RuntimeException e) {
            LOG.debugf("live pages skip a record they cannot read (%s-%d@%d): %s", record.topic(),
                    record.partition(), record.offset(), e.toString());
            return;
        }
        switch (event) {
            case ContentChallenged c -> pending.put(c.targetId(), java.util.Optional.empty());
            case ChallengePassed p -> {
                java.util.Optional<ShoalEvent> held = pending.getIfPresent(p.targetId());
                pending.invalidate(p.targetId());
                if (held != null && held.isPresent()) {
                    show(held.get(), envelope);
                }
            }
            case PostCreated p when pending.getIfPresent(p.postId()) != null ->
                    pending.put(p.postId(), java.util.Optional.of(p));
            case CommentCreated c when pending.getIfPresent(c.commentId()) != null ->
                    pending.put(c.commentId(), java.util.Optional.of(c));
            default -> show(event, envelope);
        }
        if (System.nanoTime() - lastForget > 60_000_000_000L) {
            lastForget = System.nanoTime();
            hub.forgetQuiet();
        }
    }

    /** Counts a post or comment into the pulse as of {@code envelope}'s time and, if it is new, announces it. */
    private void show(ShoalEvent event, EventEnvelope envelope) {
        boolean announce = !envelope.time().isBefore(started);
        if (event instanceof PostCreated p) {
            submoltOfPost.put(p.postId(), p.submoltName());
            hub.count(true, p.submoltName(), envelope.time());
            if (announce) {
                announce(p, envelope);
            }
        } else if (event instanceof CommentCreated c) {
            String submolt = submoltOfPost.getIfPresent(c.postId());
            hub.count(false, submolt, envelope.time());
            if (announce) {
                hub.publish(new LiveHub.NewComment(submolt, c.postId().toString(),
                        "{\"postId\":\"" + c.postId() + "\"}"));
            }
        }
    }

    /** Reads the post's card from feed-service once its projection has it, then tells the open pages. */
    private void announce(PostCreated p, EventEnvelope envelope) {
        services.readAfter(Target.FEED, "/internal/posts/" + p.postId(), Topic.POSTS.id() + " " + envelope.id(),
                UUID.randomUUID().toString()).whenComplete((response, failure) -> {
            if (failure != null || response.getStatus() != 200) {
                return; // deleted already, or feed-service away: the page shows it on its next load
            }
            try {
                var post = json.readTree((byte[]) response.getEntity()).path("post");
                if (post.isObject()) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) post).put("avatar",
                            Identicon.dataUri(post.path("authorName").asText()));
                    hub.publish(new LiveHub.NewPost(p.submoltName(), json.writeValueAsString(post)));
                }
            } catch (java.io.IOException e) {
                LOG.debugf("feed-service's card for post %s was unreadable: %s", p.postId(), e.toString());
            }
        });
    }
}
