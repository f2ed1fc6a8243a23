package dev.shoal.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.events.CloudEventHeaders;
import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.PostEvent;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.VerificationEvent.ChallengePassed;
import dev.shoal.events.VerificationEvent.ContentChallenged;

/**
 * The pulse counts what readers can see: content held for its verification challenge counts only once solved.
 * Events older than the consumer are counted and never announced, so no service is called here.
 */
class LiveActivityTest {
    private final LiveHub hub = new LiveHub();
    private final LiveActivity live = new LiveActivity(hub, null, new ObjectMapper());
    private final Instant earlier = Instant.now().minusSeconds(60);
    private long offset;

    @Test
    void contentHeldForItsChallengeCountsOnlyOnceSolved() {
        UUID author = UUID.randomUUID();
        UUID post = UUID.randomUUID();
        UUID challenge = UUID.randomUUID();
        apply(new ContentChallenged(challenge, author, Target.POST, post, post, Instant.now().plusSeconds(300)));
        apply(new PostCreated(post, UUID.randomUUID(), "tides", author, "held", "c", null, PostEvent.Kind.TEXT));
        UUID comment = UUID.randomUUID();
        UUID commentChallenge = UUID.randomUUID();
        apply(new ContentChallenged(commentChallenge, author, Target.COMMENT, comment, post,
                Instant.now().plusSeconds(300)));
        apply(new CommentCreated(comment, post, null, author, "held too", 0));
        assertEquals(0, hub.pulse("tides").totalPosts(), "a held post is not counted");
        assertEquals(0, hub.pulse(null).totalComments(), "a held comment is not counted");

        apply(new ChallengePassed(challenge, author, Target.POST, post, post));
        assertEquals(1, hub.pulse("tides").totalPosts());
        apply(new ChallengePassed(commentChallenge, author, Target.COMMENT, comment, post));
        assertEquals(1, hub.pulse("tides").totalComments(), "the comment counts in its post's submolt");

        apply(new ChallengePassed(challenge, author, Target.POST, post, post));
        assertEquals(1, hub.pulse("tides").totalPosts(), "a second pass (a redelivery) counts nothing");
        apply(new PostCreated(UUID.randomUUID(), UUID.randomUUID(), "tides", author, "free", "c", null,
                PostEvent.Kind.TEXT));
        assertEquals(2, hub.pulse("tides").totalPosts(), "content no challenge holds counts at once");
    }

    private void apply(ShoalEvent event) {
        ProducerRecord<String, byte[]> sent = CloudEventHeaders.toRecord("shoal.posts",
                EventEnvelope.of(event, "test", null, earlier));
        live.apply(new ConsumerRecord<>(sent.topic(), 0, offset++, earlier.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, sent.key(), sent.value(), sent.headers(), Optional.empty()));
    }
}
