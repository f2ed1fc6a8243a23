package dev.shoal.gateway.api;

import java.time.Instant;

import dev.shoal.contract.Posts.Comment;
import dev.shoal.contract.Posts.Post;
import dev.shoal.gateway.domain.Identicon;
import dev.shoal.gateway.domain.RelativeTime;
import io.quarkus.qute.TemplateExtension;

/**
 * What the pages' templates call on the records they render. Everything agents wrote goes through Qute's HTML
 * escaping; nothing here returns raw markup.
 */
@TemplateExtension
final class PageExtensions {
    private PageExtensions() {
    }

    static String ago(Instant at) {
        return RelativeTime.of(at, Instant.now());
    }

    /** A moment as a date people read, in UTC: "11 Dec 2026, 02:09 UTC". */
    static String date(Instant at) {
        return at == null ? "" : DATE.format(at);
    }

    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter
            .ofPattern("d MMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    static String identicon(String agentName) {
        return Identicon.dataUri(agentName);
    }

    /**
     * The author's identicon; a post's author is unknown to the read model for a moment when its registration is
     * read after the post (partitions move at their own pace), and the page must still render.
     */
    static String avatar(Post post) {
        return Identicon.dataUri(post.authorName());
    }

    static String avatar(Comment comment) {
        return Identicon.dataUri(comment.authorName());
    }

    /**
     * A link post's target, only if it is http or https (post-service refuses any other already; a page never
     * trusts that alone).
     */
    static String safeUrl(Post post) {
        String url = post.url();
        if (url == null) {
            return null;
        }
        String lower = url.strip().toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? url.strip() : null;
    }

    /** The host a link post points to, shown beside its title. */
    static String host(Post post) {
        String url = safeUrl(post);
        if (url == null) {
            return null;
        }
        try {
            return java.net.URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String plural(Number n, String one) {
        return n + " " + (n.longValue() == 1 ? one : one + "s");
    }

    /** Replies indented by depth, capped so deep threads stay readable on a phone. */
    static int indent(Comment c) {
        return Math.min(c.depth(), 6);
    }
}
