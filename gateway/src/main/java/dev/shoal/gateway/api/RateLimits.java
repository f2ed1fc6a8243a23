package dev.shoal.gateway.api;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.shoal.contract.ApiError;
import dev.shoal.gateway.domain.RateLimiter;
import dev.shoal.platform.sql.Transactions;

/**
 * The gateway's rate limits: per agent (its key) on every authenticated call; per source (an IPv4 address, an IPv6
 * /64) on calls with keys that do not work, so guessing keys costs the guesser more than the gateway; and per source
 * on registration, counted in PostgreSQL per fixed window of its clock so that every replica spends from the same
 * budget (a fixed window lets a source spend up to twice its budget across a window's edge; a sliding one would
 * cost a row per registration). Refusals are 429 with
 * {@code Retry-After} and the {@code X-RateLimit-*} headers.
 */
@ApplicationScoped
public class RateLimits {
    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    private final RateLimiter perAgent;
    private final RateLimiter failedKeys;
    /** Claim attempts per claim link, and wrong verification codes per signed-in human. */
    private final RateLimiter claimsPerLink;
    private final RateLimiter wrongCodesPerHuman;
    /** Answers to verification challenges per agent (Moltbook: 30 a minute). */
    private final RateLimiter verifications;
    /** Direct-message requests and messages per agent, on budgets of their own besides its calls'. */
    private final RateLimiter dmRequests;
    private final RateLimiter dmMessages;
    private final DataSource dataSource;
    private final long registrationLimit;
    private final Duration registrationPeriod;
    private final ScheduledExecutorService eviction = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rate-limit-eviction");
        t.setDaemon(true);
        return t;
    });

    public RateLimits(GatewayConfig.RateLimit config, GatewayConfig.Claims claims, DataSource dataSource) {
        this.perAgent = new RateLimiter(config.perKey().requests(), config.perKey().period());
        this.failedKeys = new RateLimiter(config.failedKeys().requests(), config.failedKeys().period());
        this.claimsPerLink = new RateLimiter(claims.attempts().requests(), claims.attempts().period());
        this.wrongCodesPerHuman = new RateLimiter(claims.attempts().requests(), claims.attempts().period());
        this.verifications = new RateLimiter(config.verifications().requests(), config.verifications().period());
        this.dmRequests = new RateLimiter(config.dmRequests().requests(), config.dmRequests().period());
        this.dmMessages = new RateLimiter(config.dmMessages().requests(), config.dmMessages().period());
        this.dataSource = dataSource;
        this.registrationLimit = config.registrations().requests();
        this.registrationPeriod = config.registrations().period();
        eviction.scheduleWithFixedDelay(this::evict, 1, 1, TimeUnit.MINUTES);
    }

    @PreDestroy
    void stop() {
        eviction.shutdownNow();
    }

    private void evict() {
        perAgent.evictIdle();
        failedKeys.evictIdle();
        claimsPerLink.evictIdle();
        wrongCodesPerHuman.evictIdle();
        verifications.evictIdle();
        dmRequests.evictIdle();
        dmMessages.evictIdle();
        try {
            Transactions.inTransaction(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM registration_window WHERE window_start < now() - make_interval(secs => ?)")) {
                    ps.setLong(1, Math.max(1, registrationPeriod.toSeconds()));
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("could not drop old registration windows: %s", e);
        }
    }

    public RateLimiter.Decision agent(UUID agentId) {
        return admit(perAgent.tryAcquire(agentId.toString()),
                "Too many requests", "Slow down: 100 requests per minute per API key");
    }

    /**
     * A claim attempt: a code is short enough to guess, so the human must have sent fewer wrong codes than the budget
     * lately, and one of the claim link's attempts is spent before identity-service is asked (a burst of parallel
     * guesses gets no more than the budget; the one right attempt ends the link anyway). Answers the refusal (with
     * when to come back) or an allowed decision. Counted in this gateway's memory: each replica has its own budget.
     */
    public RateLimiter.Decision claimAttempt(String link, String subject) {
        RateLimiter.Decision byHuman = wrongCodesPerHuman.peek(subject);
        return byHuman.allowed() ? claimsPerLink.tryAcquire(link) : byHuman;
    }

    /** The human sent a wrong verification code: it counts against them on every link. */
    public void wrongClaimCode(String subject) {
        wrongCodesPerHuman.tryAcquire(subject);
    }

    /** One answer to a verification challenge by the agent, on a budget of its own besides its calls'. */
    public RateLimiter.Decision verification(UUID agentId) {
        return admit(verifications.tryAcquire(agentId.toString()), "Too many verification answers",
                "Slow down: 30 answers per minute per agent");
    }

    /**
     * A budget spent only by what the owning service took: {@link #refuseIfSpent} before the call, {@link #spend}
     * after a 2xx, so a refused call (bad input, a blocked pair) costs nothing. (Calls sent at the same moment may
     * pass together one over the budget: it is a brake, not an exact count.)
     */
    public record SpentOnSuccess(RateLimiter limiter, String error, String hint) {
        public void refuseIfSpent(UUID agentId) {
            admit(limiter.peek(agentId.toString()), error, hint);
        }

        public void spend(UUID agentId) {
            limiter.tryAcquire(agentId.toString());
        }
    }

    /** Direct-message requests per agent. */
    public SpentOnSuccess dmRequests() {
        return new SpentOnSuccess(dmRequests, "Too many direct-message requests",
                "Slow down: wait for answers to the requests you sent");
    }

    /** Direct messages sent in open conversations per agent. */
    public SpentOnSuccess dmMessages() {
        return new SpentOnSuccess(dmMessages, "Too many direct messages", "Slow down");
    }

    /** Refuses a source that has sent too many keys that do not work lately, before its key is looked at. */
    public void refuseIfGuessing(String source) {
        RateLimiter.Decision d = failedKeys.peek(source);
        if (!d.allowed()) {
            admit(d, "Too many calls with keys that do not work", "Check your API key; try again later");
        }
    }

    /** A call from {@code source} carried a key that does not work. */
    public void failedKey(String source) {
        failedKeys.tryAcquire(source);
    }

    /**
     * Spends one registration from the source's budget for the current window, shared by every replica through one
     * upsert; past the limit, 429 until the window ends.
     */
    public RateLimiter.Decision registration(String source) {
        long periodSeconds = Math.max(1, registrationPeriod.toSeconds());
        // The window is PostgreSQL's, not this JVM's clock: replicas whose clocks differ still share one row.
        long[] counted = Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO registration_window AS w"
                    + " (source, window_start, registrations)"
                    + " VALUES (?, to_timestamp(floor(extract(epoch FROM now()) / ?) * ?), 1)"
                    + " ON CONFLICT (source, window_start) DO UPDATE SET registrations = w.registrations + 1"
                    + " RETURNING registrations,"
                    + " ceil(extract(epoch FROM w.window_start + make_interval(secs => ?) - now()))")) {
                ps.setString(1, source);
                ps.setLong(2, periodSeconds);
                ps.setLong(3, periodSeconds);
                ps.setLong(4, periodSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            }
        });
        long count = counted[0];
        long resetSeconds = Math.max(1, counted[1]);
        boolean allowed = count <= registrationLimit;
        return admit(new RateLimiter.Decision(allowed, registrationLimit, Math.max(0, registrationLimit - count),
                        resetSeconds, allowed ? 0 : resetSeconds),
                "Too many registrations from this address", "Try again later");
    }

    private static RateLimiter.Decision admit(RateLimiter.Decision d, String error, String hint) {
        if (d.allowed()) {
            return d;
        }
        ApiError body = ApiError.retryAfter("RATE_LIMITED", error, hint, d.retryAfterSeconds(), null);
        throw new WebApplicationException(headers(Response.status(429), d)
                .header("Retry-After", d.retryAfterSeconds()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build());
    }

    static Response.ResponseBuilder headers(Response.ResponseBuilder b, RateLimiter.Decision d) {
        return b.header("X-RateLimit-Limit", d.limit()).header("X-RateLimit-Remaining", d.remaining())
                .header("X-RateLimit-Reset", d.resetSeconds());
    }
}
