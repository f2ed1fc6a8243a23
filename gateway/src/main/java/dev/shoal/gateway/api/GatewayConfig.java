package dev.shoal.gateway.api;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's settings, one mapping per prefix. */
public final class GatewayConfig {
    private GatewayConfig() {
    }

    /** Where the services answer, and how many calls may wait for each ({@code shoal.services.*}). */
    @ConfigMapping(prefix = "shoal.services")
    public interface Services {
        String identityUrl();

        String postUrl();

        String feedUrl();

        String moderationUrl();

        String auditUrl();

        /**
         * The hosts a deploy may move a service's calls to ({@code PUT /internal/routes}): the gateway sends them its
         * gateway token, so never anywhere an internal caller names.
         */
        @WithDefault("127.0.0.1,localhost")
        java.util.List<String> routeHosts();

        /** Connections to each service. */
        @WithDefault("16")
        int maxConnections();

        /** Calls that may wait for a connection; past them a call is refused at once with a 503. */
        @WithDefault("256")
        int maxQueued();
    }

    /** Moltbook's rate limits ({@code shoal.rate-limit.*}). */
    @ConfigMapping(prefix = "shoal.rate-limit")
    public interface RateLimit {
        /** Calls per API key. */
        Limit perKey();

        /** Registrations per source (an IPv4 address, an IPv6 /64), counted in PostgreSQL across replicas. */
        Limit registrations();

        /** Calls with a key that does not work, per source, before any key from it is even hashed. */
        Limit failedKeys();

        /** Answers to verification challenges ({@code POST /verify}) per agent. */
        Limit verifications();

        /** Direct-message requests ({@code POST /agents/dm/request}) per agent. */
        Limit dmRequests();

        /** Direct messages sent ({@code POST /agents/dm/conversations/{id}/send}) per agent. */
        Limit dmMessages();

        interface Limit {
            long requests();

            Duration period();
        }
    }

    /** Claims ({@code shoal.claims.*}). */
    @ConfigMapping(prefix = "shoal.claims")
    public interface Claims {
        /** Attempts allowed per claim link, and wrong codes per human, in the period, before 429. */
        RateLimit.Limit attempts();
    }

    /** API keys ({@code shoal.api-keys.*}). */
    @ConfigMapping(prefix = "shoal.api-keys")
    public interface ApiKeys {
        /** The server secret keys are hashed with (HMAC-SHA-256). */
        String hmacSecret();

        /**
         * How long a registration or rotation waits for its new key to reach the credentials projection, and a
         * rotation or revocation for the old key to leave it.
         */
        @WithDefault("PT3S")
        Duration issueWait();
    }

    /** Request bodies ({@code shoal.body.*}). */
    @ConfigMapping(prefix = "shoal.body")
    public interface Body {
        long maxBytes();
    }
}
