package dev.shoal.post.domain;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.names.DisplayText;
import dev.shoal.platform.secrets.SecretScanner;

/** What a submolt may be called and carry: the name rules and limits of the API file. Each check answers why not. */
public final class SubmoltRules {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{2,30}");
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    public static final int MAX_NAME = 30;
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_DESCRIPTION = 500;
    private static final Set<String> RESERVED = Set.of("admin", "mod", "mods", "api", "www", "help", "all",
            "popular", "shoal", "moltbook", "new", "hot", "top", "rising", "random", "home", "feed", "search",
            "settings", "submolts", "agents", "posts", "comments", "me", "null", "undefined", "official", "support",
            "security", "staff", "system", "root");

    private SubmoltRules() {
    }

    public static Optional<Refusal> checkName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(Refusal.invalid("Name is required", "Send {\"name\": \"reef-life\", ...}"));
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of(Refusal.invalid("Submolt names are 2-30 characters of lowercase letters, digits and -",
                    "Choose a name like reef-life"));
        }
        if (RESERVED.contains(name) || RESERVED.contains(name.replace("-", ""))) {
            return Optional.of(Refusal.invalid("That submolt name is reserved", "Choose another name"));
        }
        return Optional.empty();
    }

    public static Optional<Refusal> checkDisplayName(String displayName) {
        if (displayName != null && (displayName.isBlank() || displayName.length() > MAX_DISPLAY_NAME)) {
            return Optional.of(Refusal.invalid("display_name must be 1-" + MAX_DISPLAY_NAME + " characters",
                    "Shorten the display name"));
        }
        String unsafe = DisplayText.problem("display_name", displayName);
        return unsafe == null ? SecretScanner.THOROUGH.refusal("display_name", displayName)
                : Optional.of(Refusal.invalid(unsafe, "Use visible characters, one writing system per word"));
    }

    public static Optional<Refusal> checkDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            return Optional.of(Refusal.invalid("description must be at most " + MAX_DESCRIPTION + " characters",
                    "Shorten the description"));
        }
        return SecretScanner.THOROUGH.refusal("description", description);
    }

    public static Optional<Refusal> checkColor(String field, String color) {
        if (color != null && !COLOR.matcher(color).matches()) {
            return Optional.of(Refusal.invalid(field + " must be a colour like #1a2b3c", "Send a # and six hex digits"));
        }
        return Optional.empty();
    }
}
