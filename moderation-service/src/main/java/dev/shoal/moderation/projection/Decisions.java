package dev.shoal.moderation.projection;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.shoal.events.EventEnvelope;
import dev.shoal.events.ModerationEvent;
import dev.shoal.events.ModerationEvent.AgentBannedFromSubmolt;
import dev.shoal.events.ModerationEvent.AgentSuspended;
import dev.shoal.events.ModerationEvent.AgentSuspensionLifted;
import dev.shoal.events.ModerationEvent.AppealDecided;
import dev.shoal.events.ModerationEvent.AppealFiled;
import dev.shoal.events.ModerationEvent.ChallengesRequired;
import dev.shoal.events.ModerationEvent.ContentHidden;
import dev.shoal.events.ModerationEvent.ContentRestored;
import dev.shoal.events.ModerationEvent.LeakedKeyFound;
import dev.shoal.events.ModerationEvent.ReportFiled;
import dev.shoal.events.ModerationEvent.ReportResolved;
import dev.shoal.events.ModerationEvent.SubmoltBanLifted;
import dev.shoal.events.Topic;
import dev.shoal.moderation.domain.AppealDecider;
import dev.shoal.moderation.domain.ContentSignal;
import dev.shoal.moderation.domain.ModerationCommand;
import dev.shoal.moderation.domain.ModerationCommand.Assess;
import dev.shoal.moderation.domain.ModerationCommand.AssessChallengeFailures;
import dev.shoal.moderation.domain.ModerationCommand.AssessVotes;
import dev.shoal.moderation.domain.ModerationCommand.ReportLeak;
import dev.shoal.moderation.domain.ModerationDecider;
import dev.shoal.moderation.domain.ModerationRules;
import dev.shoal.moderation.domain.ModerationState;
import dev.shoal.moderation.domain.ModerationState.Standing;
import dev.shoal.moderation.domain.VoteSignal;
import dev.shoal.platform.decide.Decision;
import dev.shoal.platform.write.StreamId;
import dev.shoal.platform.write.WriteModel;

/**
 * Moderation decisions ({@code decision}) and agents' standing ({@code standing}), changed only by their events, on
 * the stream of the agent they concern. Loading a decision reads the author's recent content (or, for an upvote, the
 * upvotes around the voter) from {@link Signals} and the strikes and standing from this service's own tables.
 */
@ApplicationScoped
public class Decisions implements WriteModel<ModerationState, ModerationCommand, ModerationEvent> {
    private final ModerationDecider decider;
    private final ModerationRules rules;
    private final ModerationRules.Thresholds thresholds;

    public Decisions(ModerationConfig config) {
        this.thresholds = config.thresholds();
        this.rules = new ModerationRules(thresholds);
        this.decider = new ModerationDecider(rules);
    }

    @Override
    public Uni<StreamId> stream(ModerationCommand command) {
        return Uni.createFrom().item(new StreamId(Topic.MODERATION, command.agentId().toString()));
    }

    @Override
    public Uni<ModerationState> load(ModerationCommand command) {
        Uni<Set<UUID>> decided = DecisionRow.<DecisionRow>list("decisionId in ?1",
                ModerationDecider.candidateIds(command)).map(rows -> rows.stream().map(r -> r.decisionId)
                .collect(Collectors.toSet()));
        return switch (command) {
            case ReportLeak r -> decided.map(ModerationState::decided);
            case Assess a -> decided.chain(ids -> assessState(ids, a));
            case AssessChallengeFailures f -> decided.chain(ids -> StandingRow.<StandingRow>findById(f.agentId())
                    .map(standing -> new ModerationState(ids, standing == null ? Standing.GOOD : standing.standing(),
                            List.of(), List.of(), true)));
            case AssessVotes v -> decided.chain(ids -> StandingRow.<StandingRow>findById(v.agentId())
                    .chain(standing -> upvotes(v.vote()).chain(upvotes -> votersPosts(v.vote()).map(posts ->
                            new ModerationState(ids, standing == null ? Standing.GOOD : standing.standing(),
                                    List.of(), List.of(), true, upvotes, null, null, posts)))));
        };
    }

    /**
     * Whether the rules find anything in {@code a}, on what the projection holds, in one read-only session of one or two
     * queries: most content is innocent, and deciding that through the writer (a transaction, the author's stream
     * lock, strikes, standing) cost a write for every post and comment. A finding is decided again by the writer.
     */
    public boolean nothingToFind(ContentSignal content, boolean promotesCrypto) {
        return rules.nothingToFind(content, promotesCrypto);
    }

    /** Whether judging {@code content} reads its author's earlier content (the rules on rates, copies or links). */
    public boolean readsPast(ContentSignal content) {
        return !rules.lookback(content).nothing();
    }

    public Uni<Boolean> findingLikely(Assess a) {
        if (a.containsLiveKey()) {
            return Uni.createFrom().item(true);
        }
        ContentSignal c = a.content();
        return Panache.withSession(() -> recent(c).chain(recent ->
                (a.promotesCrypto() ? allowsCrypto(c.submoltId()) : Uni.createFrom().item(true)).chain(crypto ->
                        rules.assess(c, a.promotesCrypto(), crypto, false, recent).isPresent()
                                ? Uni.createFrom().item(true)
                                // as many posts and comments as the rule on new agents asks: is the author new?
                                : rules.newAgentRate(c, c.at(), null, recent).isEmpty() ? Uni.createFrom().item(false)
                                : registeredAt(c.authorId()).chain(registered -> challengedUntil(c.authorId()).map(
                                        until -> rules.newAgentRate(c, registered, until, recent).isPresent())))));
    }

    /**
     * The agent's {@code repeated-offences} suspension in force now that counted hide {@code hide} as a strike, or
     * {@code null}: undoing the hide undoes the suspension it led to.
     */
    public static Uni<UUID> suspensionCounting(UUID agent, UUID hide) {
        return StandingRow.<StandingRow>findById(agent).chain(st -> st == null || st.decisionId == null
                || !st.standing().suspendedAt(Instant.now()) ? Uni.createFrom().<UUID>nullItem()
                : DecisionRow.<DecisionRow>findById(st.decisionId).map(d -> d != null
                        && ModerationRules.REPEATED_OFFENCES.equals(d.rule) && d.evidence != null
                        && d.evidence.contains(hide.toString()) ? d.decisionId : null));
    }

    private static Uni<Instant> registeredAt(UUID agent) {
        return AgentSignalRow.<AgentSignalRow>findById(agent).map(a -> a == null ? null : a.registeredAt);
    }

    /** Until when the agent's content is challenged by the latest order (a rule's or a moderator's); null: never. */
    private static Uni<Instant> challengedUntil(UUID agent) {
        return DecisionRow.<DecisionRow>find("agentId = ?1 and kind = 'challenges-required' order by decidedAt desc",
                agent).firstResult().map(d -> d == null ? null : d.until);
    }

    /** The author's earlier content the rules need to judge {@code c} ({@link ModerationRules#lookback}). */
    private Uni<List<ContentSignal>> recent(ContentSignal c) {
        ModerationRules.Lookback look = rules.lookback(c);
        if (look.nothing()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> any = new java.util.ArrayList<>();
        io.quarkus.panache.common.Parameters params = io.quarkus.panache.common.Parameters.with("author",
                c.authorId()).and("to", c.at());
        if (look.sameTextSince() != null) {
            any.add("(fingerprint = :fingerprint and at >= :sameText)");
            params = params.and("fingerprint", c.fingerprint()).and("sameText", look.sameTextSince());
        }
        if (look.linksSince() != null) {
            any.add("(linkDomains <> '' and at >= :links)");
            params = params.and("links", look.linksSince());
        }
        if (look.everySince() != null) {
            any.add("at >= :every");
            params = params.and("every", look.everySince());
        }
        return ContentSignalRow.<ContentSignalRow>list("authorId = :author and at <= :to and ("
                + String.join(" or ", any) + ") order by at", params)
                .map(rows -> rows.stream().map(ContentSignalRow::signal).toList());
    }

    /**
     * Whether the vote-ring rule looks at {@code vote} at all: not when it is off, nor for a vote older than its
     * window, which is history (a new deployment reads the whole log): suspending for it now would only lengthen the
     * agent's next suspension.
     */
    public boolean ringRuleApplies(VoteSignal vote) {
        return !thresholds.voteRing().off() && !vote.at().isBefore(Instant.now().minus(thresholds.voteRing().window()));
    }

    /**
     * Whether the voter looks like one of a vote ring, on one read when it does not: most voters upvote more agents in
     * a day than a ring has members. A suspicion is decided again, under the voter's lock, by the writer.
     */
    public Uni<Boolean> ringSuspected(VoteSignal vote) {
        if (!ringRuleApplies(vote)) {
            return Uni.createFrom().item(false);
        }
        return Panache.withSession(() -> upvotes(vote)).map(u -> rules.voteRing(vote.voterId(), u).isPresent());
    }

    /**
     * The upvotes of the ring window up to {@code vote} by its voter and, when they could make a ring, by each author
     * it upvoted: voter, then author, then how many of that author's posts and comments.
     */
    private Uni<Map<UUID, Map<UUID, Integer>>> upvotes(VoteSignal vote) {
        Instant from = vote.at().minus(thresholds.voteRing().window());
        ModerationRules.VoteRing ring = thresholds.voteRing();
        return upvotesBy(List.of(vote.voterId()), from, vote.at()).chain(mine -> {
            Map<UUID, Integer> byAuthor = mine.getOrDefault(vote.voterId(), Map.of());
            Set<UUID> authors = byAuthor.keySet();
            int total = byAuthor.values().stream().mapToInt(Integer::intValue).sum();
            // Every author past a ring's size is an outsider with at least one of the voter's upvotes: past the
            // share a ring allows outside, no ring can hold the voter, and nobody else's upvotes need reading.
            int outside = Math.max(0, authors.size() - (ring.maxSize() - 1));
            if (authors.size() + 1 < ring.minSize() || total < ring.votes() || outside > (1 - ring.share()) * total) {
                return Uni.createFrom().item(mine);
            }
            return upvotesBy(List.copyOf(authors), from, vote.at()).map(theirs -> {
                Map<UUID, Map<UUID, Integer>> all = new HashMap<>(theirs);
                all.putAll(mine);
                return all;
            });
        });
    }

    /** The posts the voter upvoted within the ring window up to {@code vote}, with their authors. */
    private Uni<List<ModerationState.UpvotedPost>> votersPosts(VoteSignal vote) {
        return VoteSignalRow.<VoteSignalRow>list("voterId = ?1 and value = 1 and targetType = 'post' and at >= ?2"
                        + " and at <= ?3", vote.voterId(), vote.at().minus(thresholds.voteRing().window()), vote.at())
                .map(rows -> rows.stream().map(r -> new ModerationState.UpvotedPost(r.targetId, r.authorId))
                        .toList());
    }

    /** How many upvotes each voter gave each author within the window: counted by PostgreSQL, a row per pair. */
    private static Uni<Map<UUID, Map<UUID, Integer>>> upvotesBy(List<UUID> voters, Instant from, Instant to) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("select v.voterId, v.authorId, count(*)"
                        + " from VoteSignalRow v where v.voterId in :voters and v.value = 1 and v.at >= :from"
                        + " and v.at <= :to group by v.voterId, v.authorId", Object[].class)
                .setParameter("voters", voters).setParameter("from", from).setParameter("to", to).getResultList())
                .map(rows -> {
                    Map<UUID, Map<UUID, Integer>> by = new HashMap<>();
                    for (Object[] r : rows) {
                        by.computeIfAbsent((UUID) r[0], k -> new HashMap<>()).put((UUID) r[1],
                                ((Number) r[2]).intValue());
                    }
                    return by;
                });
    }

    /** What the rules need to judge {@code a}, read: a rule that is off, or cannot apply, reads nothing. */
    private Uni<ModerationState> assessState(Set<UUID> decided, Assess a) {
        ContentSignal c = a.content();
        boolean newAgentRule = thresholds.challenges().newAgentRate() != 0;
        return StandingRow.<StandingRow>findById(c.authorId())
                .chain(standing -> recent(c)
                        // Strikes: the rules' hides of the author's content written within the window around this
                        // one (by the content's time, not the decision's: a history assessed late counts as it
                        // happened; and after it too, as the watch's three consumers may decide one author's
                        // posts out of order), not restored since.
                        .chain(recent -> DecisionRow.<DecisionRow>find("select d from DecisionRow d,"
                                        + " ContentSignalRow s where s.id = d.targetId and d.agentId = ?1"
                                        + " and d.kind = 'content-hidden' and d.rule in ?2 and s.at >= ?3 and s.at <= ?4"
                                        + " and not exists (select 1 from DecisionRow r where r.kind = 'content-restored'"
                                        + " and r.reverses = d.decisionId) order by s.at", c.authorId(),
                                        ModerationRules.STRIKE_RULES, c.at().minus(thresholds.strikeWindow()),
                                        c.at().plus(thresholds.strikeWindow()))
                                .list()
                                .chain(strikes -> (a.promotesCrypto() ? allowsCrypto(c.submoltId())
                                        : Uni.createFrom().item(true)).chain(crypto -> (newAgentRule
                                        ? registeredAt(c.authorId()) : Uni.createFrom().<Instant>nullItem())
                                        .chain(registered -> (newAgentRule ? challengedUntil(c.authorId())
                                        : Uni.createFrom().<Instant>nullItem()).map(until ->
                                        new ModerationState(decided, standing == null ? Standing.GOOD
                                                : standing.standing(), recent,
                                                strikes.stream().map(s -> s.decisionId).toList(), crypto, Map.of(),
                                                registered, until)))))));
    }

    /** A submolt not known yet reads as Moltbook's default, which does not allow crypto. */
    private static Uni<Boolean> allowsCrypto(UUID submolt) {
        return submolt == null ? Uni.createFrom().item(false)
                : SubmoltSignalRow.<SubmoltSignalRow>findById(submolt).map(s -> s != null && s.allowCrypto);
    }

    @Override
    public Decision<ModerationEvent> decide(ModerationState state, ModerationCommand command, Instant now) {
        return decider.decide(state, command);
    }

    /**
     * Applies any moderation event: decisions to {@code decision} (and {@code standing}), reports to {@code report}.
     * Every write model of this service evolves through here.
     */
    @Override
    public Uni<Void> evolve(ModerationEvent event, EventEnvelope envelope) {
        return switch (event) {
            case ModerationEvent.Decided d -> decided(d, envelope);
            case ReportFiled f -> {
                ReportRow r = new ReportRow();
                r.reportId = f.reportId();
                r.agentId = f.agentId();
                r.reporterId = f.reporterId();
                r.targetType = switch (f.targetType()) {
                    case POST -> "post";
                    case COMMENT -> "comment";
                    case AGENT -> "agent";
                };
                r.targetId = f.targetId();
                r.postId = f.postId();
                r.reason = f.reason();
                r.note = f.note();
                r.filedAt = envelope.time();
                yield r.persist().replaceWithVoid();
            }
            case AppealFiled f -> {
                AppealRow a = new AppealRow();
                a.appealId = f.appealId();
                a.agentId = f.agentId();
                a.decisionId = f.decisionId();
                a.statement = f.statement();
                a.filedBy = envelope.actor();
                a.filedAt = envelope.time();
                yield a.persist().replaceWithVoid();
            }
            case AppealDecided decided -> AppealRow.<AppealRow>findById(decided.appealId()).invoke(a -> {
                a.decidedAt = envelope.time();
                a.outcome = decided.outcome();
                a.reversalId = decided.reversal();
                a.decidedBy = envelope.actor();
                a.answer = decided.reason();
            }).chain(() -> AppealDecider.GRANTED.equals(decided.outcome())
                    ? DecisionRow.<DecisionRow>findById(decided.decisionId()).chain(d -> d == null
                            || !"agent-suspended".equals(d.kind) ? Uni.createFrom().voidItem()
                            // A suspension granted on appeal was wrong: it does not lengthen the agent's next one.
                            : StandingRow.<StandingRow>findById(d.agentId).invoke(st -> {
                                if (st != null && st.suspensions > 0) {
                                    st.suspensions--;
                                }
                            }).replaceWithVoid())
                    : Uni.createFrom().voidItem());
            case ReportResolved resolved -> ReportRow.<ReportRow>findById(resolved.reportId()).invoke(r -> {
                r.resolvedAt = envelope.time();
                r.outcome = resolved.outcome();
                r.decisionId = resolved.decisionId();
                r.resolvedBy = envelope.actor();
                r.resolution = resolved.reason();
            }).replaceWithVoid();
        };
    }

    private Uni<Void> decided(ModerationEvent.Decided event, EventEnvelope envelope) {
        DecisionRow row = new DecisionRow();
        row.decisionId = event.decisionId();
        row.agentId = event.agentId();
        row.actor = envelope.actor();
        row.decidedAt = envelope.time();
        row.evidence = "";
        Uni<Void> standing = Uni.createFrom().voidItem();
        switch (event) {
            case LeakedKeyFound l -> {
                row.kind = "leaked-key-found";
                target(row, l.targetType(), l.targetId(), l.postId());
                row.keyId = l.keyId();
                row.rule = l.rule();
                row.reason = "an API key of this agent was found in what " + l.authorId() + " wrote";
            }
            case ContentHidden h -> {
                target(row, h.targetType(), h.targetId(), h.postId());
                describe(row, "content-hidden", h.rule(), h.moderator(), h.reason(), h.evidence(), null);
            }
            case ContentRestored r -> {
                target(row, r.targetType(), r.targetId(), r.postId());
                describe(row, "content-restored", null, r.moderator(), r.reason(), null, r.reverses());
            }
            case AgentSuspended s -> {
                row.kind = "agent-suspended";
                row.rule = s.rule();
                row.moderator = s.moderator();
                row.reason = s.reason();
                row.until = s.until();
                row.evidence = evidence(s.evidence());
                standing = StandingRow.<StandingRow>findById(s.agentId()).chain(found -> {
                    StandingRow st = found != null ? found : new StandingRow();
                    st.agentId = s.agentId();
                    st.suspendedUntil = s.until();
                    st.permanent = s.until() == null;
                    st.suspensions++;
                    st.decisionId = s.decisionId();
                    return found != null ? Uni.createFrom().voidItem() : st.persist().replaceWithVoid();
                });
            }
            case ModerationEvent.ContentDownranked d -> {
                target(row, d.targetType(), d.targetId(), d.postId());
                describe(row, "content-downranked", d.rule(), d.moderator(), d.reason(), d.evidence(), null);
            }
            case ModerationEvent.ContentRankRestored r -> {
                target(row, r.targetType(), r.targetId(), r.postId());
                describe(row, "rank-restored", null, r.moderator(), r.reason(), null, r.reverses());
            }
            case ChallengesRequired r -> {
                describe(row, "challenges-required", r.rule(), r.moderator(), r.reason(), r.evidence(), null);
                row.until = r.until();
            }
            case AgentBannedFromSubmolt b -> {
                row.kind = "banned-from-submolt";
                row.submoltId = b.submoltId();
                row.moderator = b.moderator();
                row.reason = b.reason();
            }
            case SubmoltBanLifted l -> {
                row.kind = "submolt-ban-lifted";
                row.submoltId = l.submoltId();
                row.moderator = l.moderator();
                row.reason = l.reason();
                row.reverses = l.reverses();
            }
            case AgentSuspensionLifted l -> {
                row.kind = "suspension-lifted";
                row.moderator = l.moderator();
                row.reason = l.reason();
                row.reverses = l.reverses();
                standing = StandingRow.<StandingRow>findById(l.agentId()).invoke(st -> {
                    if (st != null && l.reverses().equals(st.decisionId)) {
                        st.suspendedUntil = envelope.time();
                        st.permanent = false;
                    }
                }).replaceWithVoid();
            }
        }
        Uni<Void> thenStanding = standing;
        return row.persist().chain(() -> thenStanding);
    }

    /** What every decision row says: its kind, the rule or role behind it, why, its evidence, what it reverses. */
    private static void describe(DecisionRow row, String kind, String rule, String moderator, String reason,
                                 List<UUID> evidence, UUID reverses) {
        row.kind = kind;
        row.rule = rule;
        row.moderator = moderator;
        row.reason = reason;
        row.evidence = evidence(evidence);
        row.reverses = reverses;
    }

    private static void target(DecisionRow row, ModerationEvent.Target type, UUID id, UUID post) {
        row.targetType = type == ModerationEvent.Target.POST ? "post" : "comment";
        row.targetId = id;
        row.postId = post;
    }

    private static String evidence(List<UUID> ids) {
        return ids == null ? "" : ids.stream().map(UUID::toString).collect(Collectors.joining(" "));
    }
}
