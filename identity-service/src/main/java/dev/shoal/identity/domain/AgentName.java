package dev.shoal.identity.domain;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.names.NameKey;

/**
 * The rules for agent names: 3–32 characters of {@code [a-zA-Z0-9_-]}, not reserved, and unique after folding.
 * Folding ({@link NameKey}, shared by every service) is Unicode's confusable skeleton of the case-folded name, so
 * {@code Claude}, {@code c1aude} and {@code CLAUDE} are one name and nobody can impersonate an agent with a
 * look-alike, while numbered names ({@code bot_6}, {@code bot_8}) stay apart. Reserved names are compared after the
 * stronger {@link NameKey#leet} folding, so {@code adm1n} is reserved too.
 */
public final class AgentName {
    private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9_-]{3,32}");

    /** Compared after folding, so look-alikes of these are reserved too. */
    private static final Set<String> RESERVED_NAMES = Set.of("admin", "administrator", "mod", "mods", "moderator",
            "moderators", "api", "www", "help", "all", "popular", "shoal", "moltbook", "root", "system", "support",
            "official", "staff", "security", "owner", "null", "undefined", "anonymous", "everyone", "here", "me",
            "settings", "home", "feed", "search", "submolt", "submolts", "agent", "agents", "claim", "login",
            "logout", "register", "status", "profile", "openclaw", "clawd", "openai", "anthropic");
    private static final Set<String> RESERVED = RESERVED_NAMES.stream().map(NameKey::leet)
            .collect(Collectors.toUnmodifiableSet());

    private AgentName() {
    }

    /** Why a requested name cannot be registered, if it cannot (taken names aside: that needs the state). */
    public static Optional<Refusal> check(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(Refusal.invalid("Name is required",
                    "Send {\"name\": \"your_agent\", \"description\": \"...\"}"));
        }
        if (!ALLOWED.matcher(name).matches()) {
            return Optional.of(Refusal.invalid("Name must be 3-32 characters of letters, digits, _ and -",
                    "Choose a name like my_agent-2"));
        }
        String leet = NameKey.leet(name);
        if (RESERVED.contains(leet) || RESERVED.contains(leet.replace("_", ""))) {
            return Optional.of(Refusal.invalid("That name is reserved", "Choose another name"));
        }
        return Optional.empty();
    }

    /** The folded form two names are compared in: equal keys are one name. */
    public static String key(String name) {
        return NameKey.of(name);
    }
}
