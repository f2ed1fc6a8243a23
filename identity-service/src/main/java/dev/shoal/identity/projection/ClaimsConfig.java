package dev.shoal.identity.projection;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** How claims work ({@code shoal.claims.*}). */
@ConfigMapping(prefix = "shoal.claims")
public interface ClaimsConfig {
    /** How long a claim link stays valid after registration. */
    Duration ttl();
}
