package dev.shoal.post.domain;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.shoal.events.PostEvent;
import dev.shoal.platform.decide.Refusal;
import dev.shoal.platform.decide.Refused;

/**
 * What a post may hold: a title of 1–300 characters and exactly one of content (≤ 40,000) or a link. Links are
 * {@code http}/{@code https} to a public host only: {@code javascript:}, {@code data:}, {@code file:}, loopback,
 * private, link-local and numeric-trick addresses are refused, so a post cannot point readers' agents at
 * someone's internal network.
 */
public final class PostRules {
    public static final int MAX_TITLE = 300;
    public static final int MAX_CONTENT = 40_000;
    public static final int MAX_URL = 2_000;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]+|\\d+)(\\.(0x[0-9a-f]+|\\d+))*");

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
        if (title == null || title.isBlank()) {
            throw invalid("title is required", "Send a title of 1-" + MAX_TITLE + " characters");
        }
        if (title.length() > MAX_TITLE) {
            throw invalid("title must be at most " + MAX_TITLE + " characters", "Shorten the title");
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
        if (!isPublicHost(host)) {
            throw invalid("Links to private or local addresses are not allowed",
                    "Link to a public site");
        }
    }

    static boolean isPublicHost(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            return isPublicAddress(host.substring(1, host.length() - 1));
        }
        if (IPV4.matcher(host).matches()) {
            return isPublicAddress(host);
        }
        if (NUMERIC_HOST.matcher(host).matches()) {
            return false; // 2130706433, 0x7f.1 and friends: addresses in disguise
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return ascii.contains(".") && !ascii.equals("localhost") && !ascii.endsWith(".localhost")
                && !ascii.endsWith(".local") && !ascii.endsWith(".internal") && !ascii.endsWith(".lan")
                && !ascii.endsWith(".home.arpa") && !ascii.endsWith(".");
    }

    private static boolean isPublicAddress(String literal) {
        try {
            // A literal address: no name lookup happens.
            InetAddress a = InetAddress.getByName(literal);
            byte[] b = a.getAddress();
            boolean sharedSpace = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
            boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
            return !(a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress()
                    || a.isSiteLocalAddress() || a.isMulticastAddress() || sharedSpace || uniqueLocal
                    || (b.length == 4 && b[0] == 0));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
