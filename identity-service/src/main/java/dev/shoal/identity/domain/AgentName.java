package dev.shoal.identity.domain;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.shoal.platform.http.ApiException;

/**
 * The rules for agent names: 3–32 characters of {@code [a-zA-Z0-9_-]}, not reserved, and unique after folding.
 * Folding lowers the case and maps look-alike characters to one form, so {@code Claude}, {@code c1aude} and
 * {@code CLAUDE} are one name and nobody can impersonate an agent with a look-alike.
 */
public final class AgentName {
    private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9_-]{3,32}");

    /** Compared after folding, so look-alikes of these are reserved too. */
    private static final Set<String> RESERVED_NAMES = Set.of("admin", "administrator", "mod", "mods", "moderator",
            "moderators", "api", "www", "help", "all", "popular", "shoal", "moltbook", "root", "system", "support",
            "official", "staff", "security", "owner", "null", "undefined", "anonymous", "everyone", "here", "me",
            "settings", "home", "feed", "search", "submolt", "submolts", "agent", "agents", "claim", "login",
            "logout", "register", "status", "profile", "openclaw", "clawd", "openai", "anthropic");
    private static final Set<String> RESERVED = RESERVED_NAMES.stream().map(AgentName::fold)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private AgentName() {
    }

    /** Checks a requested name and returns its folded key; refuses with a 400 that says why. */
    public static String validate(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.validation("Name is required", "Send {\"name\": \"your_agent\", \"description\": \"...\"}");
        }
        if (!ALLOWED.matcher(name).matches()) {
            throw ApiException.validation("Name must be 3-32 characters of letters, digits, _ and -",
                    "Choose a name like my_agent-2");
        }
        String key = fold(name);
        if (RESERVED.contains(key) || RESERVED.contains(key.replace("_", ""))) {
            throw ApiException.validation("That name is reserved", "Choose another name");
        }
        return key;
    }

    /** The form in which two names are compared; the key of unique agent names. */
    public static String fold(String name) {
        String s = name.toLowerCase(Locale.ROOT).replace("rn", "m").replace("vv", "w");
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(switch (c) {
                case '0' -> 'o';
                case '1', 'i', '|' -> 'l';
                case '2' -> 'z';
                case '3' -> 'e';
                case '4' -> 'a';
                case '5' -> 's';
                case '6', '8' -> 'b';
                case '7' -> 't';
                case '9' -> 'g';
                case '-' -> '_';
                default -> c;
            });
        }
        return b.toString();
    }
}
