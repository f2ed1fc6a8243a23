package dev.shoal.post.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.shoal.events.PostEvent;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.decide.Refused;
import dev.shoal.platform.names.DisplayText;
import dev.shoal.platform.secrets.SecretScanner;

/**
 * What a post may hold: a title of 1–300 characters and exactly one of content (≤ 40,000) or a link. Links are
 * {@code http}/{@code https} to a public host only ({@link PublicHost}): {@code javascript:}, {@code data:},
 * {@code file:} and every local, private or special-purpose address, however spelled, are refused, so a post cannot
 * point readers' agents at someone's internal network.
 */
public final class PostRules {
    public static final int MAX_TITLE = 300;
    public static final int MAX_CONTENT = 40_000;
    public static final int MAX_URL = 2_000;

    /** A checked post: its type follows from which of content and url it has. */
    public record Checked(String title, String content, String url, PostEvent.Kind postType) {
    }

    private PostRules() {
    }

    private static Refused invalid(String message, String hint) {
        return Refusal.invalid(message, hint).asException();
    }

    /** The post as it will be recorded; throws {@link Refused} with the first rule it breaks. */
    public static Checked check(String title, String content, String url, String type) {
        return check(title, content, url, type, SecretScanner.THOROUGH);
    }

    /** As {@link #check(String, String, String, String)}, looking for secrets with {@code secrets}. */
    public static Checked check(String title, String content, String url, String type, SecretScanner secrets) {
        if (title == null || title.isBlank()) {
            throw invalid("title is required", "Send a title of 1-" + MAX_TITLE + " characters");
        }
        if (title.length() > MAX_TITLE) {
            throw invalid("title must be at most " + MAX_TITLE + " characters", "Shorten the title");
        }
        String unsafe = DisplayText.problem("title", title);
        if (unsafe != null) {
            throw invalid(unsafe, "Use visible characters, one writing system per word");
        }
        boolean hasContent = content != null && !content.isBlank();
        boolean hasUrl = url != null && !url.isBlank();
        if (hasContent == hasUrl) {
            throw Refusal.invalid(hasContent ? "VALIDATION_ERROR" : "EMPTY_CONTENT",
                    "A post has exactly one of content or url", "Send content for a text post or url for a link")
                    .asException();
        }
        if (type != null && !type.equals(hasUrl ? "link" : "text")) {
            throw invalid("type " + type + " does not match the post",
                    "type=text goes with content, type=link with url");
        }
        if (hasContent && content.length() > MAX_CONTENT) {
            throw invalid("content must be at most " + MAX_CONTENT + " characters", "Shorten it");
        }
        if (hasUrl) {
            checkUrl(url);
        }
        // Last, so a secret is reported only in a post that is otherwise fine (the answer never echoes it).
        for (String[] field : new String[][] {{"title", title}, {"content", content}, {"url", url}}) {
            secrets.refusal(field[0], field[1]).ifPresent(r -> {
                throw r.asException();
            });
        }
        return new Checked(title.strip(), hasContent ? content : null, hasUrl ? url.strip() : null,
                hasUrl ? PostEvent.Kind.LINK : PostEvent.Kind.TEXT);
    }

    static void checkUrl(String raw) {
        if (raw.length() > MAX_URL) {
            throw invalid("url must be at most " + MAX_URL + " characters", "Shorten the link");
        }
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL", "Send an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("Only http and https links are allowed", "Send an http(s) URL");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw invalid("url has no host", "Send an absolute http or https URL");
        }
        if (!PublicHost.isPublic(host)) {
            throw invalid("Links to private or local addresses are not allowed",
                    "Link to a public site");
        }
    }
}
