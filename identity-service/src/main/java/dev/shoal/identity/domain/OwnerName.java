package dev.shoal.identity.domain;

import java.util.Optional;
import java.util.UUID;

import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.names.DisplayText;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * The name a claiming human lets their agent's profile show. It is personal data, so it is checked here and then
 * sealed under the agent's own data key before any command carries it: the log and the tables hold only ciphertext.
 */
public final class OwnerName {
    public static final int MAX = AgentDecider.MAX_DISPLAY_NAME;

    private OwnerName() {
    }

    /** The name as it will be shown: without surrounding blanks, {@code null} when none was given. */
    public static String shown(String typed) {
        return typed == null || typed.isBlank() ? null : typed.strip();
    }

    /** What is wrong with a shown name ({@link #shown}), if anything: too long, unsafe to display, or a secret. */
    public static Optional<Refusal> refusal(String shown) {
        if (shown == null) {
            return Optional.empty();
        }
        if (shown.length() > MAX) {
            return Optional.of(Refusal.invalid("The owner name must be at most " + MAX + " characters",
                    "Show a shorter name, or none"));
        }
        String unsafe = DisplayText.problem("owner name", shown);
        if (unsafe != null) {
            return Optional.of(Refusal.invalid(unsafe, "Use visible characters, one writing system per word"));
        }
        return SecretScanner.THOROUGH.refusal("owner name", shown);
    }

    /** What the sealed name is bound to (its associated data): the agent it was given for, and nothing else. */
    public static String sealedFor(UUID agentId) {
        return "shoal.owner-name:" + agentId;
    }
}
