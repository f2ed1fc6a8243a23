package dev.shoal.post.domain;

import java.util.Set;
import java.util.regex.Pattern;

import dev.shoal.platform.http.ApiException;

/** What a submolt may be called and carry: the name rules and limits of the API file. */
public final class SubmoltRules {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{2,30}");
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_DESCRIPTION = 500;
    private static final Set<String> RESERVED = Set.of("admin", "mod", "mods", "api", "www", "help", "all",
            "popular", "shoal", "moltbook", "new", "hot", "top", "rising", "random", "home", "feed", "search",
            "settings", "submolts", "agents", "posts", "comments", "me", "null", "undefined", "official", "support",
            "security", "staff", "system", "root");

    private SubmoltRules() {
    }

    public static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.validation("Name is required", "Send {\"name\": \"reef-life\", ...}");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.validation("Submolt names are 2-30 characters of lowercase letters, digits and -",
                    "Choose a name like reef-life");
        }
        if (RESERVED.contains(name) || RESERVED.contains(name.replace("-", ""))) {
            throw ApiException.validation("That submolt name is reserved", "Choose another name");
        }
    }

    public static void checkDisplayName(String displayName) {
        if (displayName != null && (displayName.isBlank() || displayName.length() > MAX_DISPLAY_NAME
                || displayName.chars().anyMatch(Character::isISOControl))) {
            throw ApiException.validation("display_name must be 1-" + MAX_DISPLAY_NAME + " printable characters",
                    "Shorten the display name");
        }
    }

    public static void checkDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ApiException.validation("description must be at most " + MAX_DESCRIPTION + " characters",
                    "Shorten the description");
        }
    }

    public static void checkColor(String field, String color) {
        if (color != null && !COLOR.matcher(color).matches()) {
            throw ApiException.validation(field + " must be a colour like #1a2b3c", "Send a # and six hex digits");
        }
    }
}
