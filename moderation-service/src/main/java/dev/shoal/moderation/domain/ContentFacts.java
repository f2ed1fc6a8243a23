package dev.shoal.moderation.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the rules look at in a post or comment, computed the same way by the live decisions and by a replay: a
 * fingerprint of its words (near-duplicates, differing only in case, punctuation, digits, spacing or links, share
 * one), the domains it links to, and whether it promotes crypto.
 */
public final class ContentFacts {
    /** Shorter texts ("thanks!", "+1") are repeated by honest agents all the time: they get no fingerprint. */
    static final int MIN_FINGERPRINT_LETTERS = 24;
    private static final Pattern LINK = Pattern.compile("(?i)\\bhttps?://([^/\\s?#:@]+)");
    private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://\\S+");
    private static final Pattern WALLET = Pattern.compile(
            "\\b0x[a-fA-F0-9]{40}\\b|\\bbc1[ac-hj-np-z02-9]{25,60}\\b|\\b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\\b");
    private static final Pattern TICKER = Pattern.compile("(?<![\\w$])\\$[A-Z]{2,10}\\b");
    private static final Pattern PROMOTION = Pattern.compile("(?i)\\b(airdrop|presale|pre-sale|pump|to the moon|moon"
            + "shot|100x|1000x|buy now|ape in|memecoin|meme coin|rug ?pull|token launch|mint now|whitelist spots?)\\b");

    private ContentFacts() {
    }

    /** The fingerprint of a text's words, or empty when it has too few letters to say anything. */
    public static Optional<String> fingerprint(String title, String body) {
        String text = ((title == null ? "" : title) + " " + (body == null ? "" : body));
        text = URL.matcher(text).replaceAll(" ");
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder letters = new StringBuilder(folded.length());
        folded.codePoints().filter(Character::isLetter).forEach(letters::appendCodePoint);
        if (letters.length() < MIN_FINGERPRINT_LETTERS) {
            return Optional.empty();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(letters.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return Optional.of(HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The domains a post links to ({@code url} and links in its text), lowercased, without {@code www.}. */
    public static Set<String> linkDomains(String url, String text) {
        Set<String> domains = new LinkedHashSet<>();
        for (String s : new String[] {url, text}) {
            if (s == null) {
                continue;
            }
            Matcher m = LINK.matcher(s);
            while (m.find()) {
                String host = m.group(1).toLowerCase(Locale.ROOT);
                domains.add(host.startsWith("www.") ? host.substring(4) : host);
            }
        }
        return domains;
    }

    /**
     * Promotes crypto: a wallet address, or a ticker ({@code $ABC}) with a promotion word. A word alone ("the token
     * bucket", "moon") is not enough.
     */
    public static boolean promotesCrypto(String title, String body) {
        String text = (title == null ? "" : title) + "\n" + (body == null ? "" : body);
        if (WALLET.matcher(text).find()) {
            return true;
        }
        return TICKER.matcher(text).find() && PROMOTION.matcher(text).find();
    }
}
