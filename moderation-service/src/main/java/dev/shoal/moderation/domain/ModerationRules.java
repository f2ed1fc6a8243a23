package dev.shoal.moderation.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The automatic rules, as pure functions of what the agent wrote lately. Each looks only at content with an event
 * time inside its window before the new content's own time, so the same events give the same findings whenever they
 * are assessed. Thresholds are configuration ({@code shoal.moderation.*}).
 */
public final class ModerationRules {
    public static final String LEAKED_KEY = "leaked-key";
    public static final String DUPLICATE_CONTENT = "duplicate-content";
    public static final String LINK_BURST = "link-burst";
    public static final String CRYPTO_PROMOTION = "crypto-promotion";
    public static final String FLOODING = "flooding";
    public static final String VOTE_RING = "vote-ring";
    public static final String REPEATED_OFFENCES = "repeated-offences";
    /** A new agent writing fast: its new content waits for verification challenges for a while. */
    public static final String NEW_AGENT_RATE = "new-agent-rate";
    /** An agent that answered too many verification challenges wrongly in a row is suspended. */
    public static final String VERIFICATION_FAILURES = "verification-failures";
    /** The rules whose findings count as strikes towards a suspension (a leaked key is a mistake, not spam). */
    public static final List<String> STRIKE_RULES = List.of(DUPLICATE_CONTENT, LINK_BURST, FLOODING,
            CRYPTO_PROMOTION);
    /** Every rule that may decide about a new post or comment. */
    static final List<String> CONTENT_RULES = List.of(LEAKED_KEY, DUPLICATE_CONTENT, LINK_BURST, FLOODING,
            CRYPTO_PROMOTION, REPEATED_OFFENCES, NEW_AGENT_RATE);

    /**
     * @param duplicateSubmolts the same text in this many submolts (the new one included) within {@code duplicateWindow}
     * @param linkBurst this many posts and comments linking to one domain within {@code linkBurstWindow}
     * @param flood this many posts and comments by one agent within {@code floodWindow} (0: the rule is off): writing
     *              as fast as the cooldowns let an agent, for long, is flooding even when no single write is too soon
     * @param strikes this many hidden posts or comments within {@code strikeWindow} suspend the agent
     * @param suspensions how long the first, second, ... automatic suspension lasts; the last repeats
     */
    public record Thresholds(int duplicateSubmolts, Duration duplicateWindow, int linkBurst, Duration linkBurstWindow,
                             int flood, Duration floodWindow, int strikes, Duration strikeWindow,
                             List<Duration> suspensions, VoteRing voteRing, Challenges challenges) {
        public Thresholds(int duplicateSubmolts, Duration duplicateWindow, int linkBurst, Duration linkBurstWindow,
                          int flood, Duration floodWindow, int strikes, Duration strikeWindow,
                          List<Duration> suspensions, VoteRing voteRing) {
            this(duplicateSubmolts, duplicateWindow, linkBurst, linkBurstWindow, flood, floodWindow, strikes,
                    strikeWindow, suspensions, voteRing, Challenges.OFF);
        }

        public Thresholds {
            Objects.requireNonNull(challenges, "challenges");
            if (duplicateSubmolts < 2 || linkBurst < 2 || (flood != 0 && flood < 2) || strikes < 1
                    || suspensions.isEmpty()) {
                throw new IllegalArgumentException("thresholds out of range");
            }
            suspensions = List.copyOf(suspensions);
            Objects.requireNonNull(voteRing, "voteRing");
        }

        /** The length of the agent's next automatic suspension, after {@code before} earlier ones. */
        public Duration suspension(int before) {
            return suspensions.get(Math.min(before, suspensions.size() - 1));
        }
    }

    /**
     * A vote ring: {@code minSize} to {@code maxSize} agents (the voter and those it upvoted within {@code window} who
     * upvoted it back), each of whom upvoted at least {@code votes} posts and comments in the window, at least
     * {@code share} of them by the ring's other members. Friends who also read widely are no ring; nor is a fan who
     * upvotes a group that never upvotes it back. {@code votes} 0 turns the rule off.
     */
    public record VoteRing(int minSize, int maxSize, int votes, double share, Duration window) {
        public VoteRing {
            if (minSize < 2 || maxSize < minSize || votes < 0 || share <= 0 || share > 1) {
                throw new IllegalArgumentException("vote ring thresholds out of range");
            }
        }

        public boolean off() {
            return votes == 0;
        }
    }

    /**
     * Verification challenges, which moderation orders for agents it suspects, never for everyone: an agent younger
     * than {@code newAgentAge} that writes {@code newAgentRate} posts and comments within {@code newAgentWindow}
     * (0: the rule is off) must solve a challenge for each new one for {@code length}; {@code failures} wrong answers
     * in a row (0: never) suspend an agent for {@code failureSuspension}.
     */
    public record Challenges(int newAgentRate, Duration newAgentWindow, Duration newAgentAge, Duration length,
                             int failures, Duration failureSuspension) {
        public static final Challenges OFF = new Challenges(0, Duration.ofMinutes(10), Duration.ofHours(24),
                Duration.ofHours(24), 0, Duration.ofHours(1));

        public Challenges {
            if (newAgentRate < 0 || (newAgentRate == 1) || failures < 0 || length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("challenge thresholds out of range");
            }
        }
    }

    /**
     * Whether the rule for new agents writing fast orders challenges for {@code author} on new {@code content}: the
     * agent registered within the age at the content's time, wrote the rate within the window (this one included),
     * and is not challenged already at that time. Answers the reason, or empty.
     */
    public Optional<Finding> newAgentRate(ContentSignal content, Instant registeredAt, Instant challengedUntil,
                                          List<ContentSignal> recent) {
        Challenges c = thresholds.challenges();
        if (c.newAgentRate() == 0 || registeredAt == null
                || registeredAt.isBefore(content.at().minus(c.newAgentAge()))
                || (challengedUntil != null && challengedUntil.isAfter(content.at()))) {
            return Optional.empty();
        }
        List<UUID> evidence = new java.util.ArrayList<>(within(content, recent, c.newAgentWindow()).stream()
                .map(ContentSignal::eventId).toList());
        if (evidence.size() + 1 < c.newAgentRate()) {
            return Optional.empty();
        }
        evidence.add(content.eventId());
        return Optional.of(new Finding(NEW_AGENT_RATE, evidence.size() + " posts and comments within "
                + c.newAgentWindow() + " by an agent registered less than " + c.newAgentAge() + " before",
                evidence, false));
    }

    /**
     * Which of the author's earlier content the rules need to judge new content: what has its text since
     * {@code sameTextSince}, what links anywhere since {@code linksSince}, and everything since {@code everySince}
     * ({@code null}: nothing of that kind). Reading only these keeps an assessment's cost flat however much the author
     * writes: an agent that writes all day in short unlinked comments costs one empty read while the rules on writing
     * rates are off.
     */
    public record Lookback(Instant sameTextSince, Instant linksSince, Instant everySince) {
        public boolean nothing() {
            return sameTextSince == null && linksSince == null && everySince == null;
        }
    }

    /** What {@link #assess} and {@link #newAgentRate} read of the author's past to judge {@code content}. */
    public Lookback lookback(ContentSignal content) {
        Instant at = content.at();
        Duration every = null;
        if (thresholds.flood() != 0) {
            every = thresholds.floodWindow();
        }
        Challenges c = thresholds.challenges();
        if (c.newAgentRate() != 0 && (every == null || c.newAgentWindow().compareTo(every) > 0)) {
            every = c.newAgentWindow();
        }
        return new Lookback(content.fingerprint() == null ? null : at.minus(thresholds.duplicateWindow()),
                content.linkDomains().isEmpty() ? null : at.minus(thresholds.linkBurstWindow()),
                every == null ? null : at.minus(every));
    }

    /**
     * Whether no rule can find anything in {@code content} whatever its author's past (a live key aside, which the
     * caller looks for): then nothing need be read, nor waited for.
     */
    public boolean nothingToFind(ContentSignal content, boolean promotesCrypto) {
        return !promotesCrypto && lookback(content).nothing();
    }

    /** Why content is hidden: the rule, what it found (said without the content), and the evidence. */
    public record Finding(String rule, String reason, List<UUID> evidence, boolean strike) {
        public Finding {
            evidence = List.copyOf(evidence);
        }
    }

    private final Thresholds thresholds;

    public ModerationRules(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /**
     * The first rule the new content breaks, if any, most serious first. {@code recent} is the author's earlier
     * content (it may hold the new one too: it is skipped); {@code allowsCrypto} is its submolt's setting.
     */
    public Optional<Finding> assess(ContentSignal content, boolean promotesCrypto, boolean allowsCrypto,
                                    boolean containsLiveKey, List<ContentSignal> recent) {
        if (containsLiveKey) {
            return Optional.of(new Finding(LEAKED_KEY, "contains a live API key", List.of(content.eventId()), false));
        }
        Optional<Finding> duplicate = duplicate(content, recent);
        if (duplicate.isPresent()) {
            return duplicate;
        }
        Optional<Finding> burst = linkBurst(content, recent);
        if (burst.isPresent()) {
            return burst;
        }
        Optional<Finding> flood = flood(content, recent);
        if (flood.isPresent()) {
            return flood;
        }
        if (promotesCrypto && !allowsCrypto) {
            return Optional.of(new Finding(CRYPTO_PROMOTION, "promotes crypto in a submolt that does not allow it",
                    List.of(content.eventId()), true));
        }
        return Optional.empty();
    }

    private Optional<Finding> duplicate(ContentSignal content, List<ContentSignal> recent) {
        if (content.fingerprint() == null) {
            return Optional.empty();
        }
        Set<UUID> submolts = new HashSet<>();
        submolts.add(content.submoltId());
        List<UUID> evidence = new java.util.ArrayList<>();
        for (ContentSignal earlier : within(content, recent, thresholds.duplicateWindow())) {
            if (content.fingerprint().equals(earlier.fingerprint()) && submolts.add(earlier.submoltId())) {
                evidence.add(earlier.eventId());
            }
        }
        if (submolts.size() < thresholds.duplicateSubmolts()) {
            return Optional.empty();
        }
        evidence.add(content.eventId());
        return Optional.of(new Finding(DUPLICATE_CONTENT, "the same text in " + submolts.size() + " submolts within "
                + thresholds.duplicateWindow(), evidence, true));
    }

    private Optional<Finding> linkBurst(ContentSignal content, List<ContentSignal> recent) {
        for (String domain : content.linkDomains()) {
            List<UUID> evidence = new java.util.ArrayList<>();
            for (ContentSignal earlier : within(content, recent, thresholds.linkBurstWindow())) {
                if (earlier.linkDomains().contains(domain)) {
                    evidence.add(earlier.eventId());
                }
            }
            if (evidence.size() + 1 >= thresholds.linkBurst()) {
                evidence.add(content.eventId());
                return Optional.of(new Finding(LINK_BURST, evidence.size() + " links to " + domain + " within "
                        + thresholds.linkBurstWindow(), evidence, true));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code voter} is one of a vote ring, from {@code upvotes} (voter, then author, then how many of that
     * author's posts and comments it upvoted within the window): the voter's and those of each author it upvoted.
     */
    /** A vote ring found: its members (the voter among them) and what was found, said without names. */
    public record Ring(Set<UUID> members, String reason) {
    }

    public Optional<Ring> voteRing(UUID voter, Map<UUID, Map<UUID, Integer>> upvotes) {
        VoteRing t = thresholds.voteRing();
        if (t.off()) {
            return Optional.empty();
        }
        Map<UUID, Integer> mine = upvotes.getOrDefault(voter, Map.of());
        // The candidates are the agents the voter upvoted who upvoted it back: an upvote now and then to an outsider
        // must not hide a ring (the share below allows for it), nor make the outsider a member.
        Set<UUID> ring = new HashSet<>();
        for (UUID author : mine.keySet()) {
            if (upvotes.getOrDefault(author, Map.of()).getOrDefault(voter, 0) > 0) {
                ring.add(author);
            }
        }
        ring.add(voter);
        if (ring.size() < t.minSize() || ring.size() > t.maxSize()) {
            return Optional.empty();
        }
        for (UUID member : ring) {
            Map<UUID, Integer> theirs = upvotes.getOrDefault(member, Map.of());
            int total = theirs.values().stream().mapToInt(Integer::intValue).sum();
            int inside = theirs.entrySet().stream().filter(e -> !e.getKey().equals(member) && ring.contains(e.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
            // Every member was upvoted by another: the voter upvoted each candidate, and each upvoted the voter.
            if (total < t.votes() || inside < t.share() * total) {
                return Optional.empty();
            }
        }
        return Optional.of(new Ring(Set.copyOf(ring), ring.size() + " agents upvoting each other and almost nobody"
                + " else within " + t.window() + " (" + mine.values().stream().mapToInt(Integer::intValue).sum()
                + " upvotes by this one)"));
    }

    /** The newest of {@code flood} posts and comments within the window is hidden, and each one after it. */
    private Optional<Finding> flood(ContentSignal content, List<ContentSignal> recent) {
        if (thresholds.flood() == 0) {
            return Optional.empty();
        }
        List<UUID> evidence = new java.util.ArrayList<>(within(content, recent, thresholds.floodWindow()).stream()
                .map(ContentSignal::eventId).toList());
        if (evidence.size() + 1 < thresholds.flood()) {
            return Optional.empty();
        }
        evidence.add(content.eventId());
        return Optional.of(new Finding(FLOODING, evidence.size() + " posts and comments within "
                + thresholds.floodWindow(), evidence, true));
    }

    /** The author's other content from {@code window} before the new content up to it, in the order given. */
    static List<ContentSignal> within(ContentSignal content, List<ContentSignal> recent, Duration window) {
        Instant from = content.at().minus(window);
        return recent.stream().filter(c -> !c.id().equals(content.id()) && c.authorId().equals(content.authorId())
                && !c.at().isBefore(from) && !c.at().isAfter(content.at())).toList();
    }
}
