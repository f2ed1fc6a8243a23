package dev.shoal.moderation.messaging;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.CommentEvent.CommentCreated;
import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent.Target;
import dev.shoal.events.PostEvent.PostCreated;
import dev.shoal.events.VerificationEvent.ChallengeFailed;
import dev.shoal.events.ShoalEvent;
import dev.shoal.events.SubmoltEvent;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.ContentFacts;
import dev.shoal.moderation.domain.ContentSignal;
import dev.shoal.moderation.domain.ModerationCommand;
import dev.shoal.moderation.projection.ContentSignalRow;
import dev.shoal.moderation.projection.DecisionRow;
import dev.shoal.moderation.projection.Decisions;
import dev.shoal.moderation.projection.LiveKeyRow;
import dev.shoal.platform.http.Caller;
import dev.shoal.platform.messaging.ProjectionLifecycle;
import dev.shoal.platform.messaging.KafkaSettings;
import dev.shoal.platform.secrets.SecretScanner;
import dev.shoal.platform.security.ApiKeyHasher;
import dev.shoal.platform.write.EventWriter;
import dev.shoal.platform.write.Rehearsal;

/**
 * Assesses every new post and comment on {@code shoal.posts} (SmallRye Reactive Messaging, consumer group
 * {@code moderation-service-content}, from the start of the log, offsets committed once a record is decided). For
 * each: wait (briefly) until {@link dev.shoal.moderation.projection.Signals} has it, look for live API keys in it (the
 * thorough scanner, whatever the write-time check missed), then decide through the platform writer, which records
 * decisions and their outbox rows in one transaction. Replay-safe by dedupe: a decision's id derives from its rule and
 * this event, and an event decided before decides nothing, so a redelivery after a crash, or a group moved back,
 * never decides twice. Only events written by the topic's owner are believed.
 */
@ApplicationScoped
public class ContentWatch {
    private static final Logger LOG = Logger.getLogger(ContentWatch.class);

    private final EventWriter writer;
    private final Decisions decisions;
    private final ApiKeyHasher hasher;
    private final ProjectionLifecycle projections;

    public ContentWatch(EventWriter writer, Decisions decisions, ProjectionLifecycle projections,
                        @ConfigProperty(name = "shoal.api-keys.hmac-secret") String hmacSecret) {
        this.writer = writer;
        this.projections = projections;
        this.decisions = decisions;
        this.hasher = new ApiKeyHasher(hmacSecret);
    }

    /** The channel's Kafka settings: moderation-service's own login and its one consumer group. */
    @Produces
    @Identifier("moderation-kafka")
    static Map<String, Object> moderationKafka(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>(kafka.base());
        config.put("group.id", "moderation-service-content"); // the broker lets a service use groups named after it
        return config;
    }

    @Incoming("content")
    public Uni<Void> assess(ConsumerRecord<String, byte[]> record) {
        Assessing.Read read = Assessing.read(record, Topic.byId(record.topic()));
        if (read == null) {
            return Uni.createFrom().voidItem();
        }
        EventEnvelope envelope = read.envelope();
        ShoalEvent event = read.event();
        UUID contentId;
        String text;
        if (event instanceof PostCreated p) {
            contentId = p.postId();
            text = p.title() + "\n" + (p.content() == null ? "" : p.content()) + "\n" + (p.url() == null ? "" : p.url());
        } else if (event instanceof CommentCreated c) {
            contentId = c.commentId();
            text = c.content();
        } else if (event instanceof ChallengeFailed f) {
            return wrongAnswer(record, envelope, f.agentId(), f.failuresInARow());
        } else if (event instanceof SubmoltEvent.SubmoltChallengeFailed f) {
            return wrongAnswer(record, envelope, f.agentId(), f.failuresInARow());
        } else {
            return Uni.createFrom().voidItem();
        }
        return Assessing.afterProjectionStarted(projections, () -> assess(record, event, envelope, contentId, text));
    }

    /**
     * A wrong answer to a verification challenge (a post's, a comment's or a submolt's): a run of them may suspend
     * the agent; replay-safe as the rest (the decision's id derives from the event's).
     */
    private Uni<Void> wrongAnswer(ConsumerRecord<String, byte[]> record, EventEnvelope envelope, UUID agent,
                                  int failuresInARow) {
        return Assessing.afterProjectionStarted(projections, () -> Assessing.tried(decide(
                new ModerationCommand.AssessChallengeFailures(agent, envelope.id(), envelope.time(), failuresInARow),
                Assessing.system(envelope)), "the wrong answer " + envelope.id(), record));
    }

    /** Reports the leaked keys in {@code text} first, then runs the rules over the content. */
    private Uni<Void> assess(ConsumerRecord<String, byte[]> record, ShoalEvent event, EventEnvelope envelope,
                             UUID contentId, String text) {
        String title = event instanceof PostCreated p ? p.title() : null;
        String body = event instanceof PostCreated p ? p.content() : ((CommentCreated) event).content();
        boolean promotesCrypto = ContentFacts.promotesCrypto(title, body);
        // Most content is short, unlinked talk: when no rule could find anything in it, whatever the author wrote
        // before, it is done here, with nothing read and no wait for the projection.
        ContentSignal provisional = signalOf(event, envelope, null);
        if (SecretScanner.shoalKeys(text).isEmpty() && decisions.nothingToFind(provisional, promotesCrypto)) {
            return Uni.createFrom().voidItem();
        }
        Caller system = Assessing.system(envelope);
        // A leaked key is revoked first: every moment it works, anyone who read the content can use it.
        Uni<Void> work = signal(record, event, envelope, decisions.readsPast(provisional))
                .chain(signal -> liveKeys(text).chain(keys -> reportLeaks(keys, signal, system)
                        .chain(() -> keys.isEmpty() ? leakedBefore(signal.id(), text) : Uni.createFrom().item(true))
                        .chain(leaked -> assess(new ModerationCommand.Assess(signal, promotesCrypto, leaked),
                                system))));
        return Assessing.tried(work, "content " + contentId, record);
    }

    /**
     * Rehearses an assessment at start, rolled back (the lookups, a leak report, a hide with its strike count): a
     * leaked key must die within a second of being posted, even just after a deploy.
     */
    void rehearse(@Observes StartupEvent start) {
        UUID nobody = UUID.randomUUID();
        ContentSignal sample = new ContentSignal(Target.POST, nobody, nobody, nobody, null, Instant.now(), "rehearsal",
                Set.of("example.org"), nobody);
        Caller system = new Caller(null, null, "rehearsal");
        Rehearsal.inBackground("an assessment", () -> Panache.withSession(
                        () -> ContentSignalRow.<ContentSignalRow>findById(nobody))
                .chain(() -> liveKeys("moltbook_shoal_" + "A".repeat(43)))
                .chain(() -> writer.rehearse(decisions, new ModerationCommand.ReportLeak(nobody, nobody, sample),
                        system))
                .chain(() -> writer.rehearse(decisions, new ModerationCommand.Assess(sample, true, false), system)));
    }

    /**
     * The content as the rules see it, computed from the event itself (as the projection computes its row); a
     * comment's submolt is its post's, as the projection knows it. When the rules read the author's past
     * ({@code needsPast}), first waits for the signals projection to pass this record, so that the author's earlier
     * content in its partition is there too; otherwise a comment waits only if its post is not there yet.
     */
    private Uni<ContentSignal> signal(ConsumerRecord<String, byte[]> record, ShoalEvent event, EventEnvelope envelope,
                                      boolean needsPast) {
        Uni<Void> passed = Assessing.projected(projections, record);
        return switch (event) {
            case PostCreated p -> (needsPast ? passed : Uni.createFrom().voidItem())
                    .map(ignored -> signalOf(p, envelope, p.submoltId()));
            case CommentCreated c -> (needsPast ? passed.chain(() -> row(c.postId())) : row(c.postId())
                    .chain(post -> post != null ? Uni.createFrom().item(post) : passed.chain(() -> row(c.postId()))))
                    .map(post -> signalOf(c, envelope, post == null ? null : post.submoltId));
            default -> throw new IllegalArgumentException("not content: " + event.getClass().getSimpleName());
        };
    }

    private static Uni<ContentSignalRow> row(UUID id) {
        return Panache.withSession(() -> ContentSignalRow.<ContentSignalRow>findById(id));
    }

    /** A post or comment as the rules see it, in submolt {@code submolt} (a comment's is its post's). */
    private static ContentSignal signalOf(ShoalEvent event, EventEnvelope envelope, UUID submolt) {
        return switch (event) {
            case PostCreated p -> new ContentSignal(Target.POST, p.postId(), p.postId(), p.authorId(), submolt,
                    envelope.time(), ContentFacts.fingerprint(p.title(), p.content()).orElse(null),
                    ContentFacts.linkDomains(p.url(), p.content()), envelope.id());
            case CommentCreated c -> new ContentSignal(Target.COMMENT, c.commentId(), c.postId(), c.authorId(),
                    submolt, envelope.time(), ContentFacts.fingerprint(null, c.content()).orElse(null),
                    ContentFacts.linkDomains(null, c.content()), envelope.id());
            default -> throw new IllegalArgumentException("not content: " + event.getClass().getSimpleName());
        };
    }

    /** The keys in {@code text} that work now, by keyed hash: a dead key or a random string is nobody's business. */
    private Uni<List<LiveKeyRow>> liveKeys(String text) {
        Set<String> keys = SecretScanner.shoalKeys(text);
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> hashes = keys.stream().map(hasher::hash).toList();
        return Panache.withSession(() -> LiveKeyRow.<LiveKeyRow>list("keyHash in ?1", hashes));
    }

    /**
     * Whether a key in {@code text} was reported leaked before: on a retry or a redelivery the key is dead already (so
     * {@link #liveKeys} finds none), and the content that showed it must still be hidden.
     */
    private static Uni<Boolean> leakedBefore(UUID contentId, String text) {
        if (SecretScanner.shoalKeys(text).isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return Panache.withSession(() -> DecisionRow.count("kind = 'leaked-key-found' and targetId = ?1",
                contentId)).map(n -> n > 0);
    }

    private Uni<Void> reportLeaks(List<LiveKeyRow> keys, ContentSignal signal, Caller system) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (LiveKeyRow key : keys) {
            all = all.chain(() -> decide(new ModerationCommand.ReportLeak(key.agentId, key.keyId, signal), system));
        }
        return all;
    }

    /** Content the rules find nothing in is done on one read; the rest is decided by the writer, under the lock. */
    private Uni<Void> assess(ModerationCommand.Assess command, Caller system) {
        return decisions.findingLikely(command).chain(likely -> likely ? decide(command, system)
                : Uni.createFrom().voidItem());
    }

    private Uni<Void> decide(ModerationCommand command, Caller system) {
        return Assessing.decide(writer, decisions, command, system);
    }
}
